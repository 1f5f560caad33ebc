from wagtail import hooks

from .key_admin import pos_api_key_viewset


@hooks.register("register_admin_viewset")
def register_pos_api_key_viewset():
    return pos_api_key_viewset
