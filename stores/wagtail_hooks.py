from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .pickup_viewsets import pickup_viewset
from .viewsets import store_viewset

register_snippet(store_viewset)


@hooks.register("register_admin_viewset")
def register_pickup_viewset():
    return pickup_viewset
