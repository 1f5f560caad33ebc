"""Oscar's orders, attributed to the banner their customer last clicked."""

from django.dispatch import receiver
from oscar.apps.order.signals import order_placed

from omni_plugin.conf import omni_settings
from omni_plugin.core.context import current_request
from omni_plugin.core.orders import profile_for_order

from .attribution import attribute_order


@receiver(order_placed)
def attribute_placed_order(sender, order, **kwargs):
    if not omni_settings.ENABLED:
        return
    request = current_request.get()
    profile_ids = {profile_for_order(order, request=request)}
    browser = getattr(request, "omni", None)
    if browser is not None and browser.trackable and browser.profile is not None:
        profile_ids.add(browser.profile.id)  # a guest ordering as a registered customer
    attribute_order(
        number=order.number,
        placed_at=order.date_placed,
        total=order.total_incl_tax,
        profile_ids=profile_ids,
    )
