"""The active stores nearest to a point, with their distances."""

from omni_plugin.geo.distance import haversine_km

from .models import Store


def nearest_stores(coordinates, limit=None, queryset=None):
    """(store, distance in km) for the active stores, nearest first; at most ``limit`` of them.

    ``coordinates`` is a (latitude, longitude) pair; ``queryset`` narrows the stores.
    """
    stores = (Store.objects.all() if queryset is None else queryset).filter(active=True)
    by_distance = sorted(
        ((store, haversine_km(coordinates, store.coordinates)) for store in stores),
        key=lambda pair: (pair[1], pair[0].name),
    )
    return by_distance if limit is None else by_distance[:limit]
