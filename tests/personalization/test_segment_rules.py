"""Every segment rule type, on hand-made profiles with known answers."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from oscar.test.factories import CategoryFactory, create_product

from omni_plugin.core import snapshot as snapshots
from omni_plugin.core.events import new_event
from omni_plugin.personalization.compiled import active_segments
from omni_plugin.personalization.evaluation import evaluate
from omni_plugin.personalization.segmenting import segments_for_profile
from omni_plugin.personalization.subject import Subject
from tests.personalization.segment_factories import make_segment

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 10, 14, 30, tzinfo=timezone.utc)  # a Wednesday


def ago(**delta):
    return NOW - timedelta(**delta)


def profile_from(*events, **keys):
    """A snapshot folded from events, plus keys given directly (geo, device, groups...)."""
    snapshot = snapshots.rebuild(events)
    snapshot.update(keys)
    return snapshot


def member_of(snapshot, now=NOW, **visit):
    """The names of the segments a profile is in, with their reasons."""
    subject = Subject(snapshot, now=now, **visit) if visit else Subject.for_profile(snapshot, now)
    return {m.name: m.reasons for m in evaluate(active_segments(), subject)}


def order(*products, at, value="20.00", channel="web"):
    return new_event(
        "order_placed",
        occurred_at=at,
        value=Decimal(value),
        channel=channel,
        data={
            "lines": [
                {
                    "product_id": p.pk,
                    "quantity": 1,
                    "category_ids": [c.pk for c in p.categories.all()],
                }
                for p in products
            ]
        },
    )


@pytest.fixture
def kitchen():
    kitchen = CategoryFactory(name="Kitchen")
    kitchen.add_child(name="Teapots")
    return kitchen


@pytest.fixture
def teapot(kitchen):
    teapot = create_product(title="Brown Betty Teapot", price="30.00", num_in_stock=5)
    teapot.categories.add(kitchen.get_children().get())
    return teapot


def test_viewed_a_product_n_times_in_the_last_d_days(product):
    make_segment("Mug fans", ("viewed", {"product": product.pk, "times": 3, "days": 7}))
    views = [new_event("product_viewed", product=product, occurred_at=ago(days=d)) for d in (1, 2)]

    assert "Mug fans" not in member_of(profile_from(*views))
    third = new_event("product_viewed", product=product, occurred_at=ago(days=6))
    assert member_of(profile_from(*views, third))["Mug fans"] == [
        "Viewed Enamel Camping Mug 3+ times in the last 7 days"
    ]
    # A day later the oldest view is out of the window: no query, no refresh needed.
    assert "Mug fans" not in member_of(
        profile_from(*views, third), now=NOW + timedelta(days=1, hours=1)
    )


def test_viewed_a_category_counts_its_subcategories(kitchen, teapot, product):
    make_segment("Kitchen browsers", ("viewed", {"category": kitchen.pk, "times": 2, "days": 30}))
    teapot_views = [
        new_event("product_viewed", product=teapot, occurred_at=ago(days=d)) for d in (1, 3)
    ]
    mug_views = [
        new_event("product_viewed", product=product, occurred_at=ago(days=d)) for d in (1, 3)
    ]

    assert "Kitchen browsers" in member_of(profile_from(*teapot_views))
    assert "Kitchen browsers" not in member_of(profile_from(*mug_views))


def test_abandoned_basket_after_h_hours_without_an_order(product):
    make_segment("Abandoned", ("abandoned_basket", {"hours": 2}))
    added = new_event(
        "basket_addition",
        product=product,
        occurred_at=ago(hours=3),
        value=Decimal("12.50"),
        data={"lines": 1, "products": [product.pk]},
    )

    assert member_of(profile_from(added))["Abandoned"] == [
        "Left products in the basket for 2+ hours"
    ]
    assert "Abandoned" not in member_of(profile_from(added), now=ago(hours=2))
    assert "Abandoned" not in member_of(profile_from(added, order(product, at=ago(hours=1))))


def test_purchased_ever_within_and_not_within_d_days(product, teapot, kitchen):
    make_segment("Bought a mug", ("purchased", {"product": product.pk, "when": "ever"}))
    make_segment(
        "Kitchen this month", ("purchased", {"category": kitchen.pk, "when": "within", "days": 30})
    )
    make_segment(
        "No kitchen lately",
        ("purchased", {"category": kitchen.pk, "when": "not_within", "days": 30}),
    )

    old_teapot = member_of(profile_from(order(product, teapot, at=ago(days=40))))
    assert set(old_teapot) == {"Bought a mug", "No kitchen lately"}
    recent_teapot = member_of(profile_from(order(teapot, at=ago(days=5))))
    assert set(recent_teapot) == {"Kitchen this month"}
    assert recent_teapot["Kitchen this month"] == ["Bought Kitchen in the last 30 days"]
    assert set(member_of(profile_from())) == {"No kitchen lately"}


def test_basket_value_and_contents(product, teapot, kitchen):
    make_segment("Big basket", ("basket_value", {"min_value": "40.00"}))
    make_segment("Teapot in basket", ("basket_contains", {"category": kitchen.pk}))
    make_segment("Mug in basket", ("basket_contains", {"product": product.pk}))
    basket = new_event(
        "basket_addition",
        product=teapot,
        occurred_at=ago(minutes=5),
        value=Decimal("42.50"),
        data={"lines": 2, "products": [product.pk, teapot.pk]},
    )
    smaller = new_event(
        "basket_line_removed",
        product=teapot,
        occurred_at=ago(minutes=1),
        value=Decimal("12.50"),
        data={"lines": 1, "products": [product.pk]},
    )

    assert set(member_of(profile_from(basket))) == {
        "Big basket",
        "Teapot in basket",
        "Mug in basket",
    }
    assert set(member_of(profile_from(basket, smaller))) == {"Mug in basket"}


def test_orders_count_and_total_lifetime_and_last_d_days(product):
    make_segment("Loyal", ("orders", {"min_orders": 3, "min_total": "50"}))
    make_segment("Active buyer", ("recent_orders", {"min_orders": 2, "days": 30}))
    make_segment("One-timer", ("orders", {"max_orders": 1, "min_orders": 1}))
    orders = [order(product, at=ago(days=d), value="20.00") for d in (100, 20, 3)]

    assert set(member_of(profile_from(*orders))) == {"Loyal", "Active buyer"}
    assert set(member_of(profile_from(orders[0]))) == {"One-timer"}
    # Three weeks on, only one order is left in the last 30 days.
    assert set(member_of(profile_from(*orders), now=NOW + timedelta(days=21))) == {"Loyal"}


def test_shops_in_store(product):
    make_segment("Store shopper", ("in_store", {"times": 1}))

    assert "Store shopper" not in member_of(profile_from(order(product, at=ago(days=2))))
    store = order(product, at=ago(days=2), channel="store")
    assert member_of(profile_from(store))["Store shopper"] == ["Placed 1+ orders in store"]


def test_rfm_bucket(product):
    make_segment("Champions", ("rfm", {"r_min": 5, "f_min": 3}))
    make_segment("At risk", ("rfm", {"r_max": 2, "f_min": 2}))
    frequent = [order(product, at=ago(days=d), value="60") for d in (1, 5, 9, 12)]
    lapsed = [order(product, at=ago(days=d), value="60") for d in (200, 210)]

    assert set(member_of(profile_from(*frequent))) == {"Champions"}
    assert set(member_of(profile_from(*lapsed))) == {"At risk"}
    assert member_of(profile_from()) == {}


def test_category_affinity_above_a_threshold(product, category):
    make_segment("Into mugs", ("affinity", {"category": category.pk, "threshold": 4}))
    views = [new_event("product_viewed", product=product, occurred_at=NOW) for _ in range(3)]
    added = new_event("basket_addition", product=product, occurred_at=NOW, data={"lines": 1})

    assert "Into mugs" not in member_of(profile_from(*views))
    assert member_of(profile_from(*views, added))["Into mugs"] == ["Interest in Mugs at least 4"]
    # Interest halves every 30 days (OMNI_AFFINITY_HALF_LIFE_DAYS).
    assert "Into mugs" not in member_of(profile_from(*views, added), now=NOW + timedelta(days=31))


def test_country_region_city_and_distance():
    make_segment("Scots", ("location", {"regions": "Scotland"}))
    make_segment("UK or Ireland", ("location", {"countries": "GB, ie"}))
    make_segment(
        "Near Manchester",
        (
            "near",
            {"place": "Manchester store", "latitude": 53.48, "longitude": -2.24, "radius_km": 20},
        ),
    )
    edinburgh = {
        "country": "GB",
        "region": "Scotland",
        "city": "Edinburgh",
        "time_zone": "Europe/London",
    }

    assert set(member_of(profile_from(geo=edinburgh))) == {"Scots", "UK or Ireland"}
    assert set(member_of(profile_from(geo={"country": "IE"}))) == {"UK or Ireland"}
    stockport = Subject({}, now=NOW, geo={"country": "GB"}, coordinates=(53.41, -2.16))
    assert {m.name for m in evaluate(active_segments(), stockport)} == {
        "UK or Ireland",
        "Near Manchester",
    }
    # A profile keeps no coordinates: distance rules apply to live visits only.
    assert "Near Manchester" not in member_of(
        profile_from(geo={"country": "GB", "city": "Stockport"})
    )


def test_device_class():
    make_segment("Phones", ("device", {"devices": ["mobile"]}))

    assert "Phones" in member_of(profile_from(device="mobile"))
    assert "Phones" not in member_of(profile_from(device="desktop"))
    assert "Phones" in member_of(profile_from(device="desktop"), device="mobile")


def test_day_and_time_in_the_visitors_time_zone():
    make_segment(
        "Weekday lunch",
        ("local_time", {"days": ["0", "1", "2", "3", "4"], "from_hour": 12, "to_hour": 14}),
    )
    make_segment("Night owls", ("local_time", {"from_hour": 22, "to_hour": 6}))
    london = {"country": "GB", "time_zone": "Europe/London"}  # 15:30 local in June
    new_york = {"country": "US", "time_zone": "America/New_York"}  # 10:30 local
    tokyo = {"country": "JP", "time_zone": "Asia/Tokyo"}  # 23:30 local

    assert member_of(profile_from(geo=london)) == {}
    assert member_of(profile_from(geo=new_york), now=NOW + timedelta(hours=2)) == {
        "Weekday lunch": ["Monday, Tuesday, Wednesday, Thursday, Friday 12:00–14:00 local time"]
    }
    assert set(member_of(profile_from(geo=tokyo))) == {"Night owls"}


def test_referrer_and_utm_campaign_of_this_visit_or_the_last():
    make_segment("Summer sale", ("campaign", {"utm_campaign": "Summer-Sale"}))
    make_segment("From Instagram", ("campaign", {"referrer_host": "www.instagram.com"}))
    landed = new_event(
        "visit_started",
        occurred_at=ago(days=1),
        data={"utm_campaign": "summer-sale", "utm_source": "news"},
    )

    assert set(member_of(profile_from(landed))) == {"Summer sale"}
    visit = {"arrival": {"referrer_host": "www.instagram.com"}}
    assert set(member_of(profile_from(landed), **visit)) == {"From Instagram"}


def test_logged_in_customer_group_and_new_or_returning():
    Group.objects.create(name="Wholesale")
    make_segment("Members", ("visitor", {"kind": "logged_in"}))
    make_segment("Guests", ("visitor", {"kind": "anonymous"}))
    make_segment("Returning", ("visitor", {"kind": "returning"}))
    make_segment("New", ("visitor", {"kind": "new"}))
    make_segment("Trade", ("customer_group", {"groups": ["Wholesale"]}))
    first_visit = new_event("product_viewed", occurred_at=ago(minutes=5))
    weeks_ago = new_event("product_viewed", occurred_at=ago(days=14))

    assert set(member_of(profile_from(first_visit))) == {"Guests", "New"}
    customer = profile_from(weeks_ago, user_id=7, groups=["Wholesale"])
    assert set(member_of(customer)) == {"Members", "Returning", "Trade"}


def test_push_subscriber_and_consent():
    make_segment("Push", ("push_subscriber", {"subscribed": True}))
    make_segment("No push", ("push_subscriber", {"subscribed": False}))
    make_segment("Emailable", ("consent", {"purpose": "email"}))
    subscribed = new_event("push_subscribed", occurred_at=ago(days=3))
    granted = new_event(
        "consent_recorded", occurred_at=ago(days=3), data={"purpose": "email", "status": "granted"}
    )
    withdrawn = new_event(
        "consent_recorded",
        occurred_at=ago(days=1),
        data={"purpose": "email", "status": "withdrawn"},
    )
    unsubscribed = new_event("push_unsubscribed", occurred_at=ago(days=1))

    assert set(member_of(profile_from(subscribed, granted))) == {"Push", "Emailable"}
    assert set(member_of(profile_from(subscribed, granted, withdrawn, unsubscribed))) == {"No push"}


def test_any_matches_one_rule_and_all_needs_every_rule(product):
    rules = [("device", {"devices": ["mobile"]}), ("location", {"countries": "FR"})]
    make_segment("Either", *rules, match="any")
    make_segment("Both", *rules, match="all")

    assert member_of(profile_from(device="mobile")) == {"Either": ["On mobile"]}
    both = member_of(profile_from(device="mobile", geo={"country": "FR"}))
    assert both == {"Either": ["On mobile", "In FR"], "Both": ["On mobile", "In FR"]}


def test_inactive_segments_match_nobody():
    make_segment("Phones", ("device", {"devices": ["mobile"]}), active=False)

    assert segments_for_profile(profile_from(device="mobile")) == []
