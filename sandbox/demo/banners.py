"""The demo's banners: the home page greets a new visitor, a returning visitor with a
basket and a visitor from Scotland each with their own variant."""

import json
import uuid

from omni_plugin.banners.models import Banner, Slot, SlotBanner
from omni_plugin.personalization.models import Segment

from .summary import summarise

HOME_SLOT = "home-hero"


def _creative(headline, text, call_to_action, link):
    return {
        "type": "creative",
        "id": str(uuid.uuid4()),
        "value": {
            "image": None,
            "headline": headline,
            "text": text,
            "call_to_action": call_to_action,
            "link": link,
        },
    }


def _variant(name, content, *, segments=(), regions="", fallback=False):
    targeting = {
        "include_segments": [str(pk) for pk in segments],
        "exclude_segments": [],
        "countries": "",
        "regions": regions,
        "cities": "",
        "near_latitude": None,
        "near_longitude": None,
        "near_radius_km": None,
        "devices": [],
        "days": [],
        "from_hour": None,
        "to_hour": None,
    }
    return {
        "type": "variant",
        "id": str(uuid.uuid4()),
        "value": {
            "name": name,
            "content": [content],
            "targeting": targeting,
            "weight": 1,
            "fallback": fallback,
        },
    }


def _welcome_variants():
    basket = Segment.objects.get(name="Returning with a basket")
    return [
        _variant(
            "Your basket",
            _creative(
                "Your basket is waiting",
                "The things you chose are still in your basket, ready when you are.",
                "Go to my basket",
                "/shop/basket/",
            ),
            segments=[basket.pk],
        ),
        _variant(
            "Scotland",
            _creative(
                "Hello from our Edinburgh shop",
                "Collect your order on Princes Street, or come and see us.",
                "Visit the shop",
                "/about-us/",
            ),
            regions="Scotland",
        ),
        _variant(
            "Welcome",
            _creative(
                "Thoughtful gifts, chosen with care",
                "Enamel mugs, linen tea towels, soy candles and much more.",
                "Browse the shop",
                "/shop/catalogue/",
            ),
            fallback=True,
        ),
    ]


def create_banners():
    if Slot.objects.filter(key=HOME_SLOT).exists():
        return summarise([], existing=f"the {HOME_SLOT} slot and its banner")
    banner = Banner(name="Home page welcome", variants=json.dumps(_welcome_variants()))
    banner.save()
    banner.save_revision().publish()
    slot = Slot.objects.create(name="Home page hero", key=HOME_SLOT)
    SlotBanner.objects.create(slot=slot, banner=banner, sort_order=0)
    return summarise([f"the {HOME_SLOT} slot with a banner of 3 variants"], existing="")
