"""Customer profiles, their identifiers, events, merges and consents, and the messages sent.

Journeys are built on Wagtail's models: without Wagtail installed they cannot be defined,
and system check omni.E002 says what is missing instead of an import error.
"""

from django.apps import apps

from .messages import Message
from .profiles import Consent, Event, Identifier, Merge, Profile

__all__ = ["Consent", "Event", "Identifier", "Merge", "Message", "Profile"]

if apps.is_installed("wagtail"):
    from .journeys import Journey, JourneyRun, JourneyStep, PriceDrop

    __all__ += ["Journey", "JourneyRun", "JourneyStep", "PriceDrop"]
