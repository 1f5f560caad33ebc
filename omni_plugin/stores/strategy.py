"""A store-aware Oscar strategy: online sales from the warehouse, and stock per store.

A store's stock is the stock records of its partner. The web shop must neither price a
product from them nor sell a store's shelf stock online, so online purchase info comes
only from the stock records of partners that are not stores. ``fetch_for_stores`` tells
how many of a product each store has, with Oscar's availability policies.

A shop uses it from its forked ``partner`` app, in ``partner/strategy.py``::

    from omni_plugin.stores.strategy import Selector  # noqa: F401

or composes its own strategy from ``UseWarehouseStockRecord`` and ``StoreStock``.
"""

from collections import namedtuple

from django.db.models import F
from django.db.models.functions import Coalesce
from oscar.apps.partner import strategy
from oscar.core.loading import get_model

from .partners import store_partner_ids

#: A product's stock at one store: Oscar's availability policy and the store's stock record.
StoreStockInfo = namedtuple("StoreStockInfo", ["store", "availability", "stockrecord"])


class UseWarehouseStockRecord:
    """Stock record selection mixin: the first stock record of a partner that is not a store."""

    def select_stockrecord(self, product):
        # Filtered in Python, so that stock records prefetched with the product are used.
        stores = store_partner_ids()
        for stockrecord in product.stockrecords.all():
            if stockrecord.partner_id not in stores:
                return stockrecord
        return None


class StoreStock:
    """Mixin for ``Structured`` strategies: a product's availability at given stores."""

    def fetch_for_stores(self, product, stores):
        """A ``StoreStockInfo`` per store, in the order given, from the stores' stock records.

        A parent product is available at a store when one of its children is; its
        ``stockrecord`` is None.
        """
        if product.is_parent:
            children = [
                (child, stockrecords_by_partner(child))
                for child in product.get_public_children().prefetch_related("stockrecords")
            ]
            return [
                StoreStockInfo(
                    store,
                    self.parent_availability_policy(
                        product,
                        [(child, records.get(store.partner_id)) for child, records in children],
                    ),
                    None,
                )
                for store in stores
            ]
        records = stockrecords_by_partner(product)
        return [
            StoreStockInfo(
                store,
                self.availability_policy(product, records.get(store.partner_id)),
                records.get(store.partner_id),
            )
            for store in stores
        ]


def stockrecords_by_partner(product):
    """The product's stock records keyed by partner id, in one query (none if prefetched)."""
    return {stockrecord.partner_id: stockrecord for stockrecord in product.stockrecords.all()}


def in_stock_at(store, product_ids):
    """The ids among ``product_ids`` that the store can sell at least one of."""
    return set(
        get_model("partner", "StockRecord")
        .objects.filter(
            partner_id=store.partner_id,
            product_id__in=product_ids,
            num_in_stock__gt=Coalesce(F("num_allocated"), 0),
        )
        .values_list("product_id", flat=True)
    )


class Default(
    UseWarehouseStockRecord,
    StoreStock,
    strategy.StockRequired,
    strategy.NoTax,
    strategy.Structured,
):
    """Oscar's default strategy, with online stock from the warehouse and stock per store."""


class Selector:
    """Oscar's strategy selector, giving every request the store-aware ``Default``."""

    def strategy(self, request=None, user=None, **kwargs):
        return Default(request)
