"""A product's stock at each active store, as one visitor sees it.

The visitor's store comes first: the store they chose, else the nearest to them, else the
first by name; the other stores follow, nearest first (or by name).
"""

from dataclasses import dataclass

from .chosen import chosen_store_code
from .models import Store
from .phrases import OpeningStatus, format_distance
from .strategy import Default, StoreStock
from .visitor import chosen_first, stores_near, visitor_geo


@dataclass(frozen=True)
class StoreAvailability:
    """One store's line of the product's availability.

    ``availability`` is Oscar's availability policy for the store's stock record (its
    ``num_available`` is the store's net stock level).
    """

    store: Store
    distance: str | None
    availability: object
    status: OpeningStatus
    chosen: bool

    @property
    def in_stock(self):
        return self.availability.is_available_to_buy


def store_strategy(request):
    """The request's Oscar strategy if it knows stores, else the plugin's own."""
    strategy = getattr(request, "strategy", None)
    return strategy if isinstance(strategy, StoreStock) else Default(request)


def product_availability(request, product, moment):
    """A ``StoreAvailability`` per active store at ``moment``, the visitor's store first."""
    stores = Store.objects.filter(active=True).prefetch_related("opening_hours", "exceptions")
    chosen_code = chosen_store_code(request)
    pairs = chosen_first(stores_near(stores, visitor_geo(request).coordinates), chosen_code)
    infos = store_strategy(request).fetch_for_stores(product, [store for store, _km in pairs])
    return [
        StoreAvailability(
            store=store,
            distance=None if km is None else format_distance(km),
            availability=info.availability,
            status=OpeningStatus.of(store, moment),
            chosen=store.code == chosen_code,
        )
        for (store, km), info in zip(pairs, infos, strict=True)
    ]
