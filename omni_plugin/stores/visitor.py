"""The stores in the order a visitor cares about: their chosen store, then the nearest."""

from omni_plugin.geo.context import UNKNOWN

from .nearest import nearest_stores


def visitor_geo(request):
    """The visitor's coarse location, a ``GeoContext`` (unknown while the plugin is off)."""
    omni = getattr(request, "omni", None)  # absent while OMNI_ENABLED is False
    return omni.geo if omni is not None else UNKNOWN


def stores_near(stores, coordinates):
    """(store, km) for the active ``stores``, nearest first; (store, None) by name without
    ``coordinates``."""
    if coordinates is None:
        return [(store, None) for store in stores.filter(active=True).order_by("name")]
    return nearest_stores(coordinates, queryset=stores)


def chosen_first(pairs, code):
    """The (store, km) ``pairs`` with the store of that code, if any, moved to the front."""
    return sorted(pairs, key=lambda pair: pair[0].code != code)
