"""Which stores can hand a basket over for click and collect, and from which stock records.

A store can supply a basket line when its own stock record for the line's product has a
net stock level (in stock less allocated) of at least the line's quantity. Without
``OMNI_PICKUP_ALLOW_TRANSFERS`` a store is offered only if it can supply every line; with
it, every active pickup store is offered, and the lines it cannot supply stay on the
warehouse's stock record, to be sent to the store by transfer.

Models are looked up when used: without Wagtail they are not defined, and the system
check omni.E002 says so rather than an import error.
"""

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from omni_plugin.conf import omni_settings
from omni_plugin.core.compiled_cache import CompiledCache

from .strategy import Default, StoreStock


def pickup_stores():
    """The stores customers may choose to collect an order: active, with click and collect."""
    return (
        get_model("omni_stores", "Store")
        .objects.filter(active=True, pickup_enabled=True)
        .prefetch_related("opening_hours", "exceptions")
    )


_kept_pickup_stores = CompiledCache("pickup_stores", lambda: list(pickup_stores()))


def kept_pickup_stores():
    """``pickup_stores()`` with their hours, kept: every shipping-method lookup of a basket
    asks for them. A change to a store, its hours or exceptions shows within a second."""
    return _kept_pickup_stores.get()


def forget_pickup_stores(**kwargs):
    _kept_pickup_stores.forget()
    transaction.on_commit(_kept_pickup_stores.forget)  # a reader may have kept the old ones


def connect_receivers():
    for sender in ("omni_stores.Store", "omni_stores.OpeningHours", "omni_stores.OpeningException"):
        for signal in (post_save, post_delete):
            signal.connect(forget_pickup_stores, sender=sender, weak=False)


def store_stockrecords(basket, stores):
    """For each store's partner id, the basket lines' stock records it can supply them from.

    ``{partner_id: {line_id: stockrecord}}``; a line the store cannot supply is left out.
    The lines' stock records are read in one query, kept with the basket's lines.
    """
    supply = {store.partner_id: {} for store in stores}
    strategy = store_strategy_for(basket)
    lines = basket.all_lines()
    prefetch_related_objects([line.product for line in lines], "stockrecords")
    for line in lines:
        for info in strategy.fetch_for_stores(line.product, stores):
            record = info.stockrecord
            if record is not None and (record.net_stock_level or 0) >= line.quantity:
                supply[info.store.partner_id][line.id] = record
    return supply


def store_strategy_for(basket):
    """The basket's Oscar strategy if it knows stores, else the plugin's own."""
    strategy = basket.strategy if basket.has_strategy else None
    return strategy if isinstance(strategy, StoreStock) else Default()


def can_supply(basket, stockrecords):
    """Whether ``stockrecords`` (a store's entry of ``store_stockrecords``) covers the basket."""
    return all(line.id in stockrecords for line in basket.all_lines())


def is_closed_for_good(store, moment=None):
    """Whether ``store`` is closed and does not open again within a year."""
    moment = moment or timezone.now()
    return not store.is_open_at(moment) and store.next_opening(moment) is None


def supplying_stores(basket, stores=None):
    """The stores of ``stores`` (the pickup stores by default) a customer may collect the
    basket from, in the order given; stores closed for good are left out."""
    stores = list(kept_pickup_stores() if stores is None else stores)
    supply = store_stockrecords(basket, stores)
    allow_transfers = omni_settings.PICKUP_ALLOW_TRANSFERS
    return [
        store
        for store in stores
        if (allow_transfers or can_supply(basket, supply[store.partner_id]))
        and not is_closed_for_good(store)
    ]


def refusal(basket, store):
    """Why the basket cannot be collected at ``store`` (a sentence), or None if it can."""
    if store is None or not (store.active and store.pickup_enabled):
        return _("This store does not offer click and collect. Please choose another store.")
    if is_closed_for_good(store):
        return _("%(store)s is closed. Please choose another store.") % {"store": store}
    if not supplying_stores(basket, [store]):
        return _(
            "%(store)s does not have every item of your basket in stock. "
            "Please choose another store."
        ) % {"store": store}
    return None


def pickup_stockrecords(basket, store):
    """The stock record each basket line is allocated from when collected at ``store``:
    the store's own where it can supply the line, else the line's (warehouse) record."""
    supply = store_stockrecords(basket, [store])[store.partner_id]
    return {line.id: supply.get(line.id, line.stockrecord) for line in basket.all_lines()}
