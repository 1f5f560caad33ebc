from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .alerts import demand
from .pickup_viewsets import pickup_viewset
from .viewsets import store_viewset

register_snippet(store_viewset)


@hooks.register("register_admin_viewset")
def register_pickup_viewset():
    return pickup_viewset


@hooks.register("register_admin_urls")
def register_alert_demand_urls():
    return demand.admin_urls()


@hooks.register("register_reports_menu_item")
def register_alert_demand_menu_item():
    return demand.menu_item()
