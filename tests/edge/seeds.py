"""Data the edge tests add to the demo shop, run by the origin's ``manage.py shell``."""


def seed_banners():
    """A banner for phone users and one for Scots, first in the home page's slot, and a
    page, /seen/, with a banner of the visitor's recently viewed products."""
    import json

    from wagtail.models import Site

    from omni_plugin.banners.models import Slot, SlotBanner
    from sandbox.cms.models import ContentPage
    from tests.banners.factories import make_banner, variant
    from tests.personalization.segment_factories import make_segment

    phones = make_segment("Phone users", ("device", {"devices": ["mobile"]}))
    scots = make_segment(
        "Scots", ("location", {"countries": "", "regions": "Scotland", "cities": ""})
    )
    banner = make_banner(
        "Edge hero",
        variant("For phones", targeting={"include_segments": [phones]}),
        variant("For Scots", targeting={"include_segments": [scots]}),
        variant("For everyone", fallback=True),
    )
    SlotBanner.objects.create(slot=Slot.objects.get(key="home-hero"), banner=banner, sort_order=-1)

    seen = make_banner(
        "Seen", variant("Recently viewed", content=("recently_viewed", {"title": "You looked at"}))
    )
    home = Site.objects.get(is_default_site=True).root_page
    body = [{"type": "banner", "value": {"banner": seen.pk, "slot": None}}]
    home.add_child(instance=ContentPage(title="Seen", slug="seen", body=json.dumps(body)))


def seed_edge_benchmark(segments=20, slots=3):
    """For benchmarks/edge.py: a segment per UTM campaign c0, c1, ...; a page, /offers/,
    with ``slots`` slots, each holding a banner with a variant per segment, one for
    France, one for phones and one for tablets, and a fallback."""
    import json

    from wagtail.models import Site

    from sandbox.cms.models import ContentPage
    from tests.banners.factories import make_banner, make_slot, variant
    from tests.personalization.segment_factories import make_segment

    campaigns = [
        make_segment(f"Campaign c{n}", ("campaign", {"utm_campaign": f"c{n}"}))
        for n in range(segments)
    ]
    body = []
    for number in range(slots):
        variants = [
            variant(f"Slot {number} campaign {n}", targeting={"include_segments": [segment]})
            for n, segment in enumerate(campaigns)
        ]
        variants += [
            variant(f"Slot {number} France", targeting={"countries": "FR"}),
            variant(f"Slot {number} phones", targeting={"devices": ["mobile"]}),
            variant(f"Slot {number} tablets", targeting={"devices": ["tablet"]}),
            variant(f"Slot {number} everyone", fallback=True),
        ]
        slot = make_slot(f"offers-{number}", make_banner(f"Offers {number}", *variants))
        body.append({"type": "banner", "value": {"banner": None, "slot": slot.pk}})
    home = Site.objects.get(is_default_site=True).root_page
    home.add_child(instance=ContentPage(title="Offers", slug="offers", body=json.dumps(body)))
