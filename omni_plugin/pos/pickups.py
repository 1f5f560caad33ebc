"""Click and collect orders as a store's till sees them, and who may collect one.

The steps themselves are ``omni_plugin.stores.pickup_lifecycle``'s, with their rules.
"""

from django.utils.translation import gettext as _

from omni_plugin.core.merging import root_of
from omni_plugin.core.orders import profile_for_order
from omni_plugin.stores.models import OrderPickup

Status = OrderPickup.Status
OPEN = (Status.AWAITING, Status.READY)


class WrongCollector(ValueError):
    """The customer identified did not place the order; the message says so."""


def pickups_at(store):
    return (
        OrderPickup.objects.filter(store=store)
        .select_related("order", "order__user")
        .prefetch_related("order__lines")
        .order_by("order__date_placed", "pk")
    )


def open_pickups_at(store):
    return pickups_at(store).filter(status__in=OPEN)


def find_pickup(store, number):
    """The pickup of order ``number`` at ``store``, or None (another store's included)."""
    return pickups_at(store).filter(order__number=number).first()


def pickup_summary(pickup):
    order = pickup.order
    return {
        "order": order.number,
        "status": pickup.status,
        "placed_at": order.date_placed,
        "ready_at": pickup.ready_at,
        "expires_at": pickup.expires_at,
        "name": order.user.get_full_name() if order.user else "",
        "email": order.email,
        "total": order.total_incl_tax,
        "currency": order.currency,
        "lines": [
            {
                "product": line.product_id,
                "title": line.title,
                "upc": line.upc or "",
                "quantity": line.quantity,
            }
            for line in order.lines.all()
        ],
    }


def check_collector(pickup, profile_id):
    """Refuse the collection unless the profile identified is the order's customer's."""
    order_profile = profile_for_order(pickup.order)
    if order_profile is None or root_of(order_profile) != profile_id:
        raise WrongCollector(
            _("The customer identified did not place order %(order)s.")
            % {"order": pickup.order.number}
        )
