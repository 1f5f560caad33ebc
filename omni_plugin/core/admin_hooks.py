from wagtail import hooks

from .admin.viewsets import customer_viewset


@hooks.register("register_admin_viewset")
def register_customer_viewset():
    return customer_viewset
