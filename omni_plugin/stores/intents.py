"""What the stores app sends customers about: alerts, and orders waiting to be collected."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from omni_plugin.messaging.intents import SERVICE, Intent

INTENTS = (
    Intent("back_in_stock", _("Back in stock"), SERVICE, timedelta(days=3)),
    Intent("ready_for_pickup", _("Ready for pickup"), SERVICE, timedelta(days=2)),
    Intent("pickup_reminder", _("Pickup reminder"), SERVICE, timedelta(days=1)),
)
