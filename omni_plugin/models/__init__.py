"""Customer profiles, their identifiers, events, merges and consents, and the messages sent.

Journeys are built on Wagtail's models, and the POS API's models on the stores': without
them installed these cannot be defined, and system checks omni.E002 and omni.E003 say what
is missing instead of an import error.
"""

from django.apps import apps

from .messages import Message
from .profiles import Consent, Event, Identifier, Merge, Profile

__all__ = ["Consent", "Event", "Identifier", "Merge", "Message", "Profile"]

if apps.is_installed("wagtail"):
    from .journeys import Journey, JourneyRun, JourneyStep, PriceDrop

    __all__ += ["Journey", "JourneyRun", "JourneyStep", "PriceDrop"]

if apps.is_installed("wagtail") and apps.is_installed("stores"):
    from .pos import PosApiKey, PosCall, StockReport, StoreOrder, StoreOrderLine, UsedQrNonce

    __all__ += ["PosApiKey", "PosCall", "StockReport", "StoreOrder", "StoreOrderLine", "UsedQrNonce"]
