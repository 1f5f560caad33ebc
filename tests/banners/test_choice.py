"""Choosing a banner's variant: A/B buckets, weights, holdout, frequency caps, targeting."""

import re
import uuid
from collections import Counter

import pytest
from conftest import DESKTOP_BROWSER
from django.test import Client

from omni_plugin.banners.capping import SALT
from omni_plugin.banners.choice import bucket, by_weight, choose_variant
from omni_plugin.banners.compiled import compile_banner
from omni_plugin.banners.models import HOLDOUT
from omni_plugin.banners.targeting import compile_targeting
from omni_plugin.conf import omni_settings
from omni_plugin.personalization.subject import Subject
from omni_plugin.stores.models import Store
from omni_plugin.stores.radius import near_problem
from tests.banners.factories import make_banner, make_slot, variant, variant_ids

VISITORS = [uuid.uuid4().hex for _ in range(10_000)]


class Visitor:
    """A visitor every variant fits, known only by their id."""

    def __init__(self, visitor_id):
        self.id = visitor_id

    def fits(self, variant):
        return True

    def position(self, banner):
        return bucket(banner.id, self.id)


def shares(banner, visitors=VISITORS):
    compiled = compile_banner(banner)
    names = {child.id: child.value["name"] for child in banner.variants} | {HOLDOUT: HOLDOUT}
    counts = Counter(
        names[choose_variant(compiled, Visitor(visitor_id)).variant_id] for visitor_id in visitors
    )
    return {name: count / len(visitors) for name, count in counts.items()}


def test_a_bucket_is_stable_per_visitor_and_banner_and_spread_evenly():
    assert bucket(7, "abc") == bucket(7, "abc")
    assert bucket(7, "abc") != bucket(8, "abc")
    positions = [bucket(7, visitor_id) for visitor_id in VISITORS]
    assert all(0 <= position < 1 for position in positions)
    tenths = Counter(int(position * 10) for position in positions)
    assert all(abs(tenths[n] / len(VISITORS) - 0.1) < 0.015 for n in range(10))


def test_by_weight_splits_the_unit_interval_by_the_weights():
    a, b, never = (type("V", (), {"weight": w})() for w in (1, 3, 0))
    assert by_weight([a, never, b], 0) is a
    assert by_weight([a, never, b], 0.2499) is a
    assert by_weight([a, never, b], 0.25) is b
    assert by_weight([a, never, b], 0.9999) is b
    assert by_weight([never], 0.5) is None


@pytest.mark.django_db
def test_ab_shares_are_near_the_weights_over_ten_thousand_visitors():
    banner = make_banner(
        "Test",
        variant("A", weight=1),
        variant("B", weight=3),
        variant("C", weight=0),
        choice="ab_test",
    )
    found = shares(banner)
    assert abs(found["A"] - 0.25) < 0.02
    assert abs(found["B"] - 0.75) < 0.02
    assert "C" not in found


@pytest.mark.django_db
def test_the_holdout_group_sees_the_fallback_and_the_rest_split_by_weight():
    banner = make_banner(
        "Test",
        variant("A"),
        variant("B"),
        variant("Control", fallback=True),
        choice="ab_test",
        holdout_percent=20,
    )
    found = shares(banner)
    assert abs(found[HOLDOUT] - 0.20) < 0.02
    assert abs(found["A"] - 0.40) < 0.02
    assert abs(found["B"] - 0.40) < 0.02
    assert "Control" not in found  # everyone fits a variant: the fallback only as holdout


@pytest.mark.django_db
def test_priority_takes_the_first_variant_that_fits_else_the_fallback():
    banner = compile_banner(
        make_banner(
            "Priority",
            variant("Phones", targeting={"devices": ["mobile"]}),
            variant("Big screens", targeting={"devices": ["desktop", "tablet"]}),
            variant("Anyone", fallback=True),
            variant("Also big screens", targeting={"devices": ["desktop"]}),
        )
    )

    class OnDevice(Visitor):
        def __init__(self, device):
            self.subject = Subject({}, device=device)

        def fits(self, variant):
            return variant.targeting.fits(self.subject, frozenset())

    assert choose_variant(banner, OnDevice("mobile")).variant.name == "Phones"
    assert choose_variant(banner, OnDevice("desktop")).variant.name == "Big screens"
    assert choose_variant(banner, OnDevice("bot")).variant.name == "Anyone"


def test_targeting_reuses_the_segment_rules():
    targeting = compile_targeting(
        {
            "include_segments": ["1", "2"],
            "exclude_segments": ["3"],
            "countries": "GB, ie",
            "regions": "",
            "cities": "",
            "near_latitude": 55.95,
            "near_longitude": -3.19,
            "near_radius_km": 10,
            "devices": ["mobile"],
            "days": [],
            "from_hour": None,
            "to_hour": None,
        }
    )
    edinburgh = Subject({}, device="mobile", geo={"country": "GB"}, coordinates=(55.953, -3.188))
    assert targeting.fits(edinburgh, {"2"})
    assert not targeting.fits(edinburgh, {"2", "3"})  # excluded
    assert not targeting.fits(edinburgh, {"4"})  # in none of the included
    glasgow = Subject({}, device="mobile", geo={"country": "GB"}, coordinates=(55.86, -4.25))
    assert not targeting.fits(glasgow, {"1"})  # too far
    dublin = Subject({}, device="mobile", geo={"country": "IE"}, coordinates=(55.953, -3.188))
    assert targeting.fits(dublin, {"1"})
    assert not compile_targeting(None).uses_segments
    assert compile_targeting(None).fits(Subject({}), frozenset())


@pytest.mark.django_db
def test_a_radius_around_a_store_follows_the_store_and_ends_with_it():
    store = Store.objects.create(
        name="Edinburgh",
        code="EDI-01",
        line1="1 Princes St",
        city="Edinburgh",
        country="GB",
        latitude=55.953,
        longitude=-3.188,
    )
    near_the_store = {"near_store": store.pk, "near_radius_km": 10}
    edinburgh = Subject({}, coordinates=(55.95, -3.19))
    glasgow = Subject({}, coordinates=(55.86, -4.25))

    targeting = compile_targeting(near_the_store)
    assert targeting.fits(edinburgh, set()) and not targeting.fits(glasgow, set())

    Store.objects.filter(pk=store.pk).update(latitude=55.86, longitude=-4.25)  # it moved
    targeting = compile_targeting(near_the_store)
    assert targeting.fits(glasgow, set()) and not targeting.fits(edinburgh, set())

    Store.objects.filter(pk=store.pk).update(active=False)
    assert not compile_targeting(near_the_store).fits(glasgow, set())


@pytest.mark.parametrize(
    "near, problem",
    [
        ({"near_latitude": 55.9, "near_radius_km": 5}, "Give both the latitude and the longitude"),
        ({"near_latitude": 55.9, "near_longitude": -3.2}, "Give a radius with a store or a point"),
        ({"near_radius_km": 5}, "Give a radius with a store or a point"),
        (
            {"near_store": 1, "near_latitude": 55.9, "near_longitude": -3.2, "near_radius_km": 5},
            "Choose a store or give a point, not both.",
        ),
    ],
)
def test_a_radius_needs_one_centre(near, problem):
    assert problem in near_problem(
        *(near.get(f"near_{part}") for part in ("store", "latitude", "longitude", "radius_km"))
    )


@pytest.fixture
def product_page(product):
    return product.get_absolute_url()


def shown(client, path):
    response = client.get(path)
    assert response.status_code == 200
    found = re.search(r'<h2 class="card-title">\s*(.*?)\s*</h2>', response.content.decode())
    return found.group(1) if found else None


def test_a_visitor_keeps_their_variant_and_visitors_differ(product_page):
    make_slot(
        "product-detail",
        make_banner("Test", variant("Red"), variant("Blue"), choice="ab_test"),
    )
    seen = set()
    for _ in range(64):  # each new visitor gets either at even odds: both show up long before
        client = Client(HTTP_USER_AGENT=DESKTOP_BROWSER)
        first = shown(client, product_page)
        assert [shown(client, product_page) for _ in range(3)] == [first] * 3
        seen.add(first)
        if len(seen) == 2:
            break
    assert seen == {"Red", "Blue"}


def test_a_capped_banner_gives_way_to_the_next_after_its_daily_views(client, product_page):
    make_slot(
        "product-detail",
        make_banner("Sale", variant("Sale"), frequency_cap=2),
        make_banner("Newsletter", variant("Newsletter")),
    )
    assert [shown(client, product_page) for _ in range(4)] == [
        "Sale",
        "Sale",
        "Newsletter",
        "Newsletter",
    ]


def test_a_capped_banner_alone_leaves_the_slot_empty(client, product_page):
    make_slot("product-detail", make_banner("Sale", variant("Sale"), frequency_cap=1))
    assert [shown(client, product_page) for _ in range(3)] == ["Sale", None, None]


def test_a_tampered_cap_cookie_counts_as_no_views(client, product_page):
    make_slot(
        "product-detail",
        make_banner("Sale", variant("Sale"), frequency_cap=1),
        make_banner("Newsletter", variant("Newsletter")),
    )
    assert shown(client, product_page) == "Sale"
    assert shown(client, product_page) == "Newsletter"

    name = omni_settings.BANNER_CAP_COOKIE_NAME
    value = client.cookies[name].value
    client.cookies[name] = value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    assert shown(client, product_page) == "Sale"


def test_views_of_another_day_do_not_count(client, product_page):
    from django.core import signing

    banner = make_banner("Sale", variant("Sale"), frequency_cap=1)
    make_slot("product-detail", banner)
    client.cookies[omni_settings.BANNER_CAP_COOKIE_NAME] = signing.dumps(
        {str(banner.pk): ["2020-01-01", 5]}, salt=SALT, compress=True
    )
    assert shown(client, product_page) == "Sale"


def test_bots_are_not_counted_and_get_no_cap_cookie(product_page):
    make_slot("product-detail", make_banner("Sale", variant("Sale"), frequency_cap=1))
    bot = Client(HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)")
    assert [shown(bot, product_page) for _ in range(2)] == ["Sale", "Sale"]
    assert omni_settings.BANNER_CAP_COOKIE_NAME not in bot.cookies


def test_uncapped_banners_leave_no_cookie(client, product_page):
    make_slot("product-detail", make_banner("Sale", variant("Sale")))
    assert shown(client, product_page) == "Sale"
    assert omni_settings.BANNER_CAP_COOKIE_NAME not in client.cookies


def test_holdout_visitors_see_the_fallback_counted_as_holdout(product_page):
    from omni_plugin.banners import tracking
    from omni_plugin.banners.models import BannerStat

    banner = make_banner(
        "Lift",
        variant("Offer"),
        variant("Control", fallback=True),
        choice="ab_test",
        holdout_percent=50,
    )
    make_slot("product-detail", banner)
    seen = Counter(shown(Client(HTTP_USER_AGENT=DESKTOP_BROWSER), product_page) for _ in range(16))
    tracking.flush_stats()

    assert set(seen) == {"Offer", "Control"}
    impressions = dict(BannerStat.objects.values_list("variant", "impressions"))
    assert impressions == {HOLDOUT: seen["Control"], variant_ids(banner)["Offer"]: seen["Offer"]}
