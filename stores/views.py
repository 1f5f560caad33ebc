"""The store locator: the active stores, nearest to the visitor first."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from geo.context import UNKNOWN

from .models import Store
from .nearest import nearest_stores

#: Distances under this many km show one decimal ("2.3 km"); longer ones whole km ("42 km").
PRECISE_DISTANCE_KM = 10


def format_distance(km):
    shown = f"{km:.1f}" if km < PRECISE_DISTANCE_KM else f"{km:.0f}"
    return _("%(distance)s km") % {"distance": shown}


def opening_status(store, moment):
    """Whether the store is open at ``moment``, in words and on the store's own clock."""
    closes = store.closes_at(moment)
    if closes is not None:
        return True, _("Open until %(time)s") % {"time": date_format(closes, "H:i")}
    opens = store.next_opening(moment)
    if opens is None:
        return False, _("Closed")
    return False, _("Closed · opens %(day)s %(time)s") % {
        "day": date_format(opens, "l"),
        "time": date_format(opens, "H:i"),
    }


def locator_entry(store, km, moment):
    is_open, status = opening_status(store, moment)
    return {
        "store": store,
        "distance": None if km is None else format_distance(km),
        "is_open": is_open,
        "status": status,
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
    omni = getattr(request, "omni", None)  # absent while OMNI_ENABLED is False
    geo = omni.geo if omni is not None else UNKNOWN
    coordinates = geo.coordinates
    if coordinates is None:
        by_distance = [(store, None) for store in stores.order_by("name")]
    else:
        by_distance = nearest_stores(coordinates, queryset=stores)
    moment = timezone.now()
    response = render(
        request,
        "omni/stores/locator.html",
        {
            "entries": [locator_entry(store, km, moment) for store, km in by_distance],
            "location_known": coordinates is not None,
            "visitor_city": geo.city,
        },
    )
    patch_cache_control(response, private=True, max_age=0)
    return response
