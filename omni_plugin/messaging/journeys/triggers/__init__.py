"""The triggers journeys start from, one object each, by the name a journey stores.

Messaging registers its own; the stores app registers the ready-for-pickup one.
"""

from .basket_left import BasketLeft
from .browse_left import BrowseLeft
from .price_drop import PriceDropTrigger
from .win_back import WinBack

TRIGGERS = {}


def register_trigger(trigger):
    TRIGGERS[trigger.name] = trigger
    return trigger


def trigger_of(journey):
    return TRIGGERS[journey.trigger]


for _trigger in (BasketLeft(), BrowseLeft(), PriceDropTrigger(), WinBack()):
    register_trigger(_trigger)
