"""The demo's push campaigns: drafts an editor can preview, test on themselves and send."""

from oscar.core.loading import get_model

from omni_plugin.personalization.models import Segment
from omni_plugin.push.models import Campaign

from .geoip import DEMO_CITIES
from .summary import counted, summarise

Category = get_model("catalogue", "Category")


def _campaigns():
    *_, latitude, longitude = DEMO_CITIES["Manchester"]
    garden, mugs = (Category.objects.get(name=name) for name in ("Garden", "Mugs"))
    return [
        (
            {
                "name": "Weekend sale, Scotland",
                "title": "The weekend sale starts now",
                "body": "A third off garden furniture until Sunday night.",
                "url": garden.get_absolute_url(),
                "local_time_delivery": True,
                "urgency": "normal",
                "topic": "weekend-sale",
            },
            ["Scotland"],
        ),
        (
            {
                "name": "New mugs near Manchester",
                "title": "New mugs in Manchester",
                "body": "The spring collection is on the shelves: collect it today.",
                "url": mugs.get_absolute_url(),
                "near_latitude": latitude,
                "near_longitude": longitude,
                "near_radius_km": 30,
                "ttl": 6 * 60 * 60,
            },
            [],
        ),
    ]


def create_campaigns():
    created = 0
    for fields, segment_names in _campaigns():
        if Campaign.objects.filter(name=fields["name"]).exists():
            continue
        campaign = Campaign.objects.create(**fields)
        campaign.include_segments.set(Segment.objects.filter(name__in=segment_names))
        created += 1
    return summarise(
        [counted(created, "draft push campaign")],
        existing=counted(Campaign.objects.count(), "push campaign"),
    )
