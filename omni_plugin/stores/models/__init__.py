"""Physical stores, each with its own Oscar partner, weekly opening hours and exceptions.

They are built on Wagtail's models: without Wagtail installed they cannot be defined, and
system check omni.E002 says what is missing instead of an import error.
"""

from django.apps import apps
from django.conf import settings


def default_time_zone():
    return settings.TIME_ZONE


if apps.is_installed("wagtail"):
    from .alerts import StockAlert
    from .pickups import OrderPickup
    from .stores import OpeningException, OpeningHours, Store, Weekday

    __all__ = [
        "OpeningException",
        "OpeningHours",
        "OrderPickup",
        "StockAlert",
        "Store",
        "Weekday",
        "default_time_zone",
    ]
