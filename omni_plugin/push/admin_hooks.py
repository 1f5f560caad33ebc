from wagtail.snippets.models import register_snippet

from .viewsets import PushViewSetGroup

register_snippet(PushViewSetGroup)
