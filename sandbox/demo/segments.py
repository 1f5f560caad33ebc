"""The demo's segments: one of each kind an editor is likely to start with."""

import json

from oscar.core.loading import get_model

from omni_plugin.personalization.models import Segment

from .summary import counted, summarise

Category = get_model("catalogue", "Category")


def _segments(category_ids):
    home, mugs, garden = (category_ids[name] for name in ("Home & Kitchen", "Mugs", "Garden"))
    return [
        ("Mug lovers", "all", [("viewed", {"category": mugs, "times": 3, "days": 30})]),
        ("Abandoned baskets", "all", [("abandoned_basket", {"hours": 1})]),
        ("Champions", "all", [("rfm", {"r_min": 4, "f_min": 3})]),
        (
            "Lapsed home shoppers",
            "all",
            [
                ("purchased", {"category": home, "when": "not_within", "days": 90}),
                ("orders", {"min_orders": 1}),
            ],
        ),
        ("Gardeners", "any", [("affinity", {"category": garden, "threshold": 5})]),
        ("Scotland", "all", [("location", {"regions": "Scotland"})]),
        (
            "Mobile evenings",
            "all",
            [
                ("device", {"devices": ["mobile"]}),
                ("local_time", {"from_hour": 18, "to_hour": 23}),
            ],
        ),
        ("Store shoppers", "all", [("in_store", {"times": 1})]),
        (
            "Returning with a basket",
            "all",
            [("visitor", {"kind": "returning"}), ("basket_value", {"min_value": "0.01"})],
        ),
    ]


def create_segments():
    category_ids = dict(Category.objects.filter(depth__lte=2).values_list("name", "pk"))
    created = []
    for name, match, rules in _segments(category_ids):
        if Segment.objects.filter(name=name).exists():
            continue
        raw = json.dumps([{"type": kind, "value": value} for kind, value in rules])
        Segment.objects.create(name=name, match=match, rules=raw)
        created.append(name)
    return summarise(
        [counted(len(created), "segment")] if created else [],
        existing=counted(Segment.objects.count(), "segment"),
    )
