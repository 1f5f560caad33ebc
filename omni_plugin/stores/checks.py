"""System check of click and collect: someone tells customers their order is ready."""

from django.core.checks import Warning
from django.db import DatabaseError
from oscar.core.loading import get_model

from omni_plugin.conf import omni_settings


def check_pickup_journey(app_configs, databases=None, **kwargs):
    """A store offers click and collect but no live journey announces ready orders.

    It reads the database, so it runs with ``check --database`` and ``migrate`` only.
    """
    if not databases:
        return []
    try:
        offered = get_model("omni_stores", "Store").objects.filter(pickup_enabled=True).exists()
        announced = (
            get_model("omni_plugin", "Journey")
            .objects.filter(
                trigger="pickup_ready",
                live=True,
                order_status=omni_settings.PICKUP_READY_STATUS,
            )
            .exists()
        )
    except (DatabaseError, LookupError):  # tables not migrated yet, or no Wagtail (omni.E002)
        return []
    if not offered or announced:
        return []
    return [
        Warning(
            "A store offers click and collect but no live “Ready for pickup” journey waits "
            f"for the order status {omni_settings.PICKUP_READY_STATUS!r} "
            "(OMNI_PICKUP_READY_STATUS), so customers are not told when their order is ready: "
            "make one live under Journeys in the Wagtail admin.",
            id="omni.W016",
        )
    ]
