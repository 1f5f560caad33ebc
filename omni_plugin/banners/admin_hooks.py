from wagtail.snippets.models import register_snippet

from .viewsets import BannersViewSetGroup

register_snippet(BannersViewSetGroup)
