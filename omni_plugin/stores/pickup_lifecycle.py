"""Where a click and collect order stands after it is placed: awaiting, ready, then
collected (and perhaps returned), or expired when nobody came within the hold.

Each step also moves the Oscar order to its status (``OMNI_PICKUP_*_STATUS``) through
``order.set_status()``, so Oscar's pipeline rules and its ``order_status_changed`` signal
apply; a "Ready for pickup" journey waiting for the ready status tells the customer.
Collecting consumes the stock allocated at the store, expiring releases it, and a return
puts the items back in stock. A step that
does not fit where the pickup stands raises ``PickupError`` and changes nothing, so that
staff in the admin and the POS can call these functions alike.

Oscar's classes are looked up when used: the admin imports this module, and without
Oscar installed system check omni.E001 says so rather than an import error.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from omni_plugin.conf import omni_settings

logger = logging.getLogger(__name__)


class PickupError(Exception):
    """A pickup cannot take this step; the message says why, in a sentence."""


def mark_ready(pickup, now=None):
    """The order can be collected from now on, until the hold (``OMNI_PICKUP_HOLD_DAYS``) ends."""
    now = now or timezone.now()
    Status = pickup.Status
    with transaction.atomic():
        _lock(pickup)
        _require(pickup, Status.AWAITING, _("Order %(order)s cannot be marked ready: %(why)s."))
        _move_order(pickup.order, omni_settings.PICKUP_READY_STATUS)
        pickup.status = Status.READY
        pickup.ready_at = now
        pickup.expires_at = now + timedelta(days=omni_settings.PICKUP_HOLD_DAYS)
        pickup.save(update_fields=["status", "ready_at", "expires_at"])
    return pickup


def mark_collected(pickup, now=None):
    """The customer took the order: the stock allocated at the store leaves it."""
    Status = pickup.Status
    with transaction.atomic():
        _lock(pickup)
        _require(pickup, Status.READY, _("Order %(order)s cannot be marked collected: %(why)s."))
        _move_order(pickup.order, omni_settings.PICKUP_COLLECTED_STATUS)
        _adjust_stock("consume_stock_allocations", pickup.order)
        pickup.status = Status.COLLECTED
        pickup.collected_at = now or timezone.now()
        pickup.save(update_fields=["status", "collected_at"])
    return pickup


def mark_returned(pickup, now=None):
    """The customer brought a collected order back: its items are in stock again.

    Each line's stock record gets its quantity back and is saved, so receivers of its
    ``post_save`` (back-in-stock alerts) hear of it.
    """
    Status = pickup.Status
    with transaction.atomic():
        _lock(pickup)
        _require(pickup, Status.COLLECTED, _("Order %(order)s cannot be marked returned: %(why)s."))
        _move_order(pickup.order, omni_settings.PICKUP_RETURNED_STATUS)
        _restock(pickup.order)
        pickup.status = Status.RETURNED
        pickup.returned_at = now or timezone.now()
        pickup.save(update_fields=["status", "returned_at"])
    return pickup


def expire(pickup):
    """Nobody came within the hold: the stock allocated at the store is free again."""
    Status = pickup.Status
    with transaction.atomic():
        _lock(pickup)
        _require(pickup, Status.READY, _("Order %(order)s cannot expire: %(why)s."))
        _move_order(pickup.order, omni_settings.PICKUP_EXPIRED_STATUS)
        _adjust_stock("cancel_stock_allocations", pickup.order)
        pickup.status = Status.EXPIRED
        pickup.save(update_fields=["status"])
    return pickup


def expire_due(now=None):
    """Expire every ready pickup whose hold ended by ``now``; how many expired.

    A pickup that cannot expire (its order was moved to a status from which the expired
    status cannot be reached) is left as it is, and the log says why.
    """
    now = now or timezone.now()
    OrderPickup = get_model("omni_stores", "OrderPickup")
    due = OrderPickup.objects.filter(status=OrderPickup.Status.READY, expires_at__lte=now)
    expired = 0
    for pickup in due.select_related("order").order_by("expires_at"):
        try:
            expire(pickup)
        except PickupError as error:
            logger.warning("Pickup #%s was not expired: %s", pickup.pk, error)
        else:
            expired += 1
    return expired


def _lock(pickup):
    """Read the pickup again, locked, so that two steps taken at once cannot both pass."""
    Pickup = type(pickup)
    pickup.refresh_from_db(from_queryset=Pickup.objects.select_for_update())


def _require(pickup, status, message):
    if pickup.status != status:
        why = _("it is “%(status)s”") % {"status": pickup.get_status_display()}
        raise PickupError(message % {"order": pickup.order.number, "why": why})


def _move_order(order, status):
    InvalidOrderStatus = get_class("order.exceptions", "InvalidOrderStatus")
    try:
        order.set_status(status)
    except InvalidOrderStatus as error:
        raise PickupError(str(error)) from error


def _adjust_stock(adjustment, order):
    """Take Oscar's stock ``adjustment`` (an ``EventHandler`` method) for every order line."""
    InvalidStockAdjustment = get_class("partner.exceptions", "InvalidStockAdjustment")
    handler = get_class("order.processing", "EventHandler")()
    try:
        getattr(handler, adjustment)(order)
    except InvalidStockAdjustment as error:
        raise PickupError(
            _("The stock of order %(order)s cannot be adjusted: %(why)s.")
            % {"order": order.number, "why": error}
        ) from error


def _restock(order):
    StockRecord = get_model("partner", "StockRecord")
    lines = list(order.lines.exclude(stockrecord=None).values_list("stockrecord_id", "quantity"))
    records = StockRecord.objects.select_for_update().in_bulk([pk for pk, _ in lines])
    for stockrecord_id, quantity in lines:
        record = records[stockrecord_id]
        record.num_in_stock = (record.num_in_stock or 0) + quantity
        record.save(update_fields=["num_in_stock", "date_updated"])
