"""The triggers journeys start from, one class each, by the name a journey stores."""

from .basket_left import BasketLeft
from .browse_left import BrowseLeft
from .pickup_ready import PickupReady
from .price_drop import PriceDropTrigger
from .win_back import WinBack

TRIGGERS = {
    trigger.name: trigger
    for trigger in (BasketLeft(), BrowseLeft(), PriceDropTrigger(), WinBack(), PickupReady())
}


def trigger_of(journey):
    return TRIGGERS[journey.trigger]
