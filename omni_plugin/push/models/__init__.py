"""Subscriptions, campaigns and their deliveries.

Campaigns are built on Wagtail's models: without Wagtail installed they cannot be defined,
and system check omni.E002 says what is missing instead of an import error.
"""

from django.apps import apps

from .subscriptions import PushSubscription
from .urgency import Urgency

__all__ = ["PushSubscription", "Urgency"]

if apps.is_installed("wagtail"):
    from .campaigns import Campaign
    from .deliveries import Delivery

    __all__ += ["Campaign", "Delivery"]
