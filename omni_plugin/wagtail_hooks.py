from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .admin.pos_keys import pos_api_key_viewset
from .admin.viewsets import customer_viewset
from .messaging.journeys.viewsets import journey_viewset

register_snippet(journey_viewset)


@hooks.register("register_admin_viewset")
def register_customer_viewset():
    return customer_viewset


@hooks.register("register_admin_viewset")
def register_pos_api_key_viewset():
    return pos_api_key_viewset
