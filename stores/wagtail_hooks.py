from wagtail.snippets.models import register_snippet

from .viewsets import store_viewset

register_snippet(store_viewset)
