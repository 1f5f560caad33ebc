"""How much of a product an alert waits for is there: online, or at one store."""

from oscar.core.loading import get_class

from ..partners import store_partner_ids
from ..strategy import Default, StoreStock

Selector = get_class("partner.strategy", "Selector")


def shop_strategy():
    """The shop's own strategy when it knows stores, else the plugin's store-aware one."""
    strategy = Selector().strategy()
    return strategy if isinstance(strategy, StoreStock) else Default()


def availability(product, store=None):
    """Oscar's availability of ``product`` in the web shop, or at ``store``."""
    strategy = shop_strategy()
    if store is not None:
        return strategy.fetch_for_stores(product, [store])[0].availability
    if product.is_parent:
        return strategy.fetch_for_parent(product).availability
    return strategy.fetch_for_product(product).availability


def is_available(product, store=None):
    return availability(product, store).is_available_to_buy


def units_left(product, store=None):
    """How many can be bought now, or None when the policy does not count (a parent)."""
    return getattr(availability(product, store), "num_available", None)


def is_store_partner(partner_id):
    return partner_id in store_partner_ids()
