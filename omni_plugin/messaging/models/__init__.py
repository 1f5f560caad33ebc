"""The messages sent, and the journeys that send them.

Their tables belong to the ``omni_plugin`` label, the profile core's, since before
messaging became an app of its own; the migrations stay with the core. Journeys are built
on Wagtail's models: without Wagtail installed they cannot be defined, and system check
omni.E002 says what is missing instead of an import error.
"""

from django.apps import apps

from .messages import Message

__all__ = ["Message"]

if apps.is_installed("wagtail"):
    from .journeys import Journey, JourneyRun, JourneyStep, PriceDrop

    __all__ += ["Journey", "JourneyRun", "JourneyStep", "PriceDrop"]
