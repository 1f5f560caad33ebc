"""The store locator: the active stores, nearest to the visitor first."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control

from .chosen import chosen_store_code
from .models import Store
from .phrases import OpeningStatus, format_distance
from .visitor import stores_near, visitor_geo


def locator_entry(store, km, moment, chosen_code):
    status = OpeningStatus.of(store, moment)
    return {
        "store": store,
        "distance": None if km is None else format_distance(km),
        "is_open": status.is_open,
        "status": status.sentence,
        "chosen": store.code == chosen_code,
    }


def store_locator(request):
    """The active stores with their distance from the visitor, opening status and pickup.

    The page depends on where the visitor is and on the time, so it is ``private``: a
    shared cache must not hand one visitor's list to another. ``max-age=0`` makes the
    browser ask again rather than show a stale "Open until", but unlike ``never_cache``
    it lets the back button show the page without a new request; nothing on it is secret,
    so ``no-store`` is not needed.
    """
    stores = Store.objects.filter(active=True).prefetch_related("opening_hours", "exceptions")
    geo = visitor_geo(request)
    moment = timezone.now()
    chosen_code = chosen_store_code(request)
    response = render(
        request,
        "omni/stores/locator.html",
        {
            "entries": [
                locator_entry(store, km, moment, chosen_code)
                for store, km in stores_near(stores, geo.coordinates)
            ],
            "location_known": geo.coordinates is not None,
            "visitor_city": geo.city,
        },
    )
    patch_cache_control(response, private=True, max_age=0)
    return response
