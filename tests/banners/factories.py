"""Helpers for banner tests: banners and slots saved and published as the admin does."""

import json
import re
import uuid

from omni_plugin.banners.models import Banner, Slot, SlotBanner

CONTENT_DEFAULTS = {
    "creative": {"image": None, "headline": "", "text": "", "call_to_action": "", "link": ""},
    "product_strip": {"title": "", "limit": 4, "strategy": "for_you"},
    "recently_viewed": {"title": "", "limit": 4},
    "collect_nearby": {"title": "", "limit": 4},
    "back_in_stock": {"title": "", "limit": 4},
}
TARGETING_DEFAULTS = {
    "include_segments": [],
    "exclude_segments": [],
    "countries": "",
    "regions": "",
    "cities": "",
    "near_latitude": None,
    "near_longitude": None,
    "near_radius_km": None,
    "devices": [],
    "days": [],
    "from_hour": None,
    "to_hour": None,
}
#: Fields set after publishing: publishing a banner due later would only schedule it.
SCHEDULE_FIELDS = ("go_live_at", "expire_at")


def variant(name, content=("creative", {}), targeting=None, weight=1, fallback=False):
    """A variant's raw block value; ``content`` is (kind, fields), ``targeting`` its fields.

    Segment ids in ``include_segments``/``exclude_segments`` may be ints or segments.
    """
    kind, fields = content
    if kind == "creative":
        fields = {"headline": name, **fields}
    targeting = {**TARGETING_DEFAULTS, **(targeting or {})}
    for key in ("include_segments", "exclude_segments"):
        targeting[key] = [str(getattr(item, "pk", item)) for item in targeting[key]]
    return {
        "type": "variant",
        "id": str(uuid.uuid4()),
        "value": {
            "name": name,
            "content": [
                {
                    "type": kind,
                    "id": str(uuid.uuid4()),
                    "value": {**CONTENT_DEFAULTS[kind], **fields},
                }
            ],
            "targeting": targeting,
            "weight": weight,
            "fallback": fallback,
        },
    }


def make_banner(name, *variants, choice="priority", live=True, **fields):
    """A saved banner with a revision: published when ``live``, else a draft."""
    schedule = {key: fields.pop(key) for key in SCHEDULE_FIELDS if key in fields}
    banner = Banner.objects.create(
        name=name, choice=choice, variants=json.dumps(list(variants)), live=False, **fields
    )
    revision = banner.save_revision()
    if live:
        revision.publish()
        banner.refresh_from_db()
    if schedule:
        for key, value in schedule.items():
            setattr(banner, key, value)
        banner.save()
    return banner


def make_slot(key, *banners):
    """A slot holding ``banners`` in priority order."""
    slot = Slot.objects.create(name=key.replace("-", " ").title(), key=key)
    for index, banner in enumerate(banners):
        SlotBanner.objects.create(slot=slot, banner=banner, sort_order=index)
    return slot


def variant_ids(banner):
    """The banner's variant ids by variant name."""
    return {child.value["name"]: child.id for child in banner.variants}


def headlines(response):
    """The headlines of the creatives the page shows, in order."""
    assert response.status_code == 200
    return headlines_of(response.content.decode())


def headlines_of(html):
    return re.findall(r'<h2 class="card-title">\s*(?:<a [^>]*>)?(.*?)(?:</a>)?\s*</h2>', html)
