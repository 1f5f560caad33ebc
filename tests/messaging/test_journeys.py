"""Journeys: basket left, browse left, price drop, win-back and pickup, each a series of
messages sent a delay after what the customer did, stopped by what they did since. The
clock is frozen so that delays are exact."""

import logging
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from omni_plugin.core.consent import record_consent
from omni_plugin.core.gdpr import erase_profile, export_profile
from omni_plugin.core.merging import merge
from omni_plugin.core.models import Merge, Profile
from omni_plugin.messaging.journeys.runner import run_journeys
from omni_plugin.messaging.models import Journey, JourneyRun, Message, PriceDrop
from omni_plugin.push.models import PushSubscription
from tests.messaging.factories import make_customer
from tests.messaging.journey_factories import (
    add_to_basket,
    change_status,
    empty_basket,
    make_journey,
    place_order,
    view,
)
from tests.push.mock_service import MockPushService
from tests.push.shop import allow_push_service, browser_keys, use_vapid_identity

pytestmark = pytest.mark.django_db

#: Noon in London: outside the quiet hours of customers in Europe.
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
BASKET_STEPS = (
    (1, "hours", "push", "Still thinking it over?", "Your {product} is waiting in your basket."),
    (24, "hours", "email", "Your basket misses you", "{count} item(s), {total}, still there."),
)


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """What the dispatcher does every minute, pushes included (they go after the commit)."""

    def run_now():
        with django_capture_on_commit_callbacks(execute=True):
            return run_journeys()

    return run_now


def at(clock, **delta):
    clock.move_to(NOON + timedelta(**delta))


def the_run(journey, profile):
    return JourneyRun.objects.get(journey=journey, profile=profile)


def emails_to(address):
    return [email for email in mail.outbox if email.to == [address]]


# Basket left


@pytest.fixture
def push_service(settings):
    shop_key = use_vapid_identity(settings)
    allow_push_service(settings, "127.0.0.1")
    with MockPushService(public_key=shop_key) as service:
        yield service


def subscribe(profile, service):
    keys = browser_keys()
    record_consent(profile.pk, "push", "granted", source="prompt")
    return PushSubscription.objects.create(
        profile=profile,
        endpoint=service.endpoint(f"browser-{profile.pk}"),
        p256dh=keys["p256dh"],
        auth=keys["auth"],
        device=PushSubscription.Device.DESKTOP,
    )


def test_basket_left_pushes_after_an_hour_emails_after_a_day_and_stops_at_an_order(
    clock, run, push_service, product, caplog
):
    caplog.set_level(logging.INFO, logger="omni_plugin.messaging.journeys")
    journey = make_journey("basket_left", *BASKET_STEPS)
    ann = make_customer("ann@example.com", consents=["email"])
    bob = make_customer("bob@example.com", consents=["email"])
    ann_browser, bob_browser = subscribe(ann, push_service), subscribe(bob, push_service)
    add_to_basket(ann, product)
    add_to_basket(bob, product)

    at(clock, minutes=59)
    assert run()["enrolled"] == 2
    assert push_service.received(ann_browser.endpoint) == []

    at(clock, hours=1)
    assert run()["sent"] == 2
    assert [push.status for push in push_service.received(ann_browser.endpoint)] == [201]
    assert [push.status for push in push_service.received(bob_browser.endpoint)] == [201]
    assert mail.outbox == []

    at(clock, hours=2)
    place_order(bob, "100002", product)
    run()

    at(clock, hours=24)
    counts = run()
    (email,) = mail.outbox
    assert email.to == ["ann@example.com"]
    assert "Your basket misses you" in email.subject
    assert "1 item(s), £12.50, still there." in email.body
    assert counts == {"enrolled": 0, "sent": 1, "stopped": 1}
    stopped = the_run(journey, bob)
    assert (stopped.status, stopped.stop_reason) == ("stopped", "An order was placed.")
    assert f"Journey run #{stopped.pk}" in caplog.text and "An order was placed." in caplog.text
    assert the_run(journey, ann).status == "completed"
    assert len(push_service.received(ann_browser.endpoint)) == 1

    at(clock, days=3)
    run()
    assert len(mail.outbox) == 1


def test_the_dispatch_command_cron_runs_every_minute_sends_the_steps_due(clock, product):
    make_journey("basket_left", (1, "hours", "email", "Your basket", "Still there."))
    ann = make_customer(consents=["email"])
    add_to_basket(ann, product)
    call_command("omni_messaging_dispatch", stdout=StringIO())

    at(clock, hours=1)
    output = StringIO()
    call_command("omni_messaging_dispatch", stdout=output)

    assert "0 enrolled, 1 sent, 0 stopped in journeys." in output.getvalue()
    assert [email.subject for email in mail.outbox] == ["Your basket"]


def test_the_message_names_the_product_left_in_the_basket(clock, run, product):
    make_journey("basket_left", (1, "hours", "email", "{product}", "Still yours: {product}."))
    ann = make_customer(consents=["email"])
    add_to_basket(ann, product)

    at(clock, hours=1)
    run()

    (email,) = mail.outbox
    assert "Still yours: Enamel Camping Mug." in email.body


def test_an_emptied_basket_stops_the_journey(clock, run, product):
    journey = make_journey("basket_left", *BASKET_STEPS[1:])
    ann = make_customer(consents=["email"])
    add_to_basket(ann, product)
    at(clock, minutes=10)
    run()

    at(clock, hours=3)
    empty_basket(ann, product)
    at(clock, hours=24)
    run()

    assert mail.outbox == []
    assert the_run(journey, ann).stop_reason == "The basket is empty."


def test_a_later_change_to_the_basket_restarts_the_wait(clock, run, product):
    make_journey("basket_left", *BASKET_STEPS[1:])
    ann = make_customer(consents=["email"])
    add_to_basket(ann, product)

    at(clock, hours=22)
    add_to_basket(ann, product)
    run()
    at(clock, hours=24)
    run()
    assert mail.outbox == []

    at(clock, hours=46)
    run()
    assert len(mail.outbox) == 1


def test_a_basket_left_again_after_an_order_starts_the_journey_again(clock, run, product):
    make_journey("basket_left", *BASKET_STEPS[1:])
    ann = make_customer(consents=["email"])
    add_to_basket(ann, product)
    at(clock, hours=24)
    run()
    at(clock, hours=25)
    place_order(ann, "100001", product)

    at(clock, days=3)
    add_to_basket(ann, product)
    run()
    at(clock, days=4)
    run()

    assert len(mail.outbox) == 2


def test_a_journey_that_is_not_live_enrols_nobody_even_once_it_goes_live(clock, run, product):
    journey = make_journey("basket_left", *BASKET_STEPS[1:], live=False)
    ann = make_customer(consents=["email"])
    add_to_basket(ann, product)
    at(clock, minutes=10)
    run()

    journey.refresh_from_db()  # as the editor's form loads it
    journey.live = True
    journey.save()
    at(clock, hours=24)
    assert run()["enrolled"] == 0

    assert mail.outbox == []
    assert not JourneyRun.objects.exists()


def test_a_step_whose_time_passed_long_ago_is_skipped_not_sent_late(clock, run, product):
    journey = make_journey(
        "basket_left",
        (1, "hours", "email", "Forgot something?", "It is still there."),
        (10, "days", "email", "Last call", "Your basket is about to expire."),
    )
    ann = make_customer(consents=["email"])
    add_to_basket(ann, product)
    at(clock, minutes=5)
    run()

    at(clock, days=5)  # the dispatcher was down: the first step is four days late
    run()

    assert mail.outbox == []
    assert the_run(journey, ann).next_step == 1
    at(clock, days=10, minutes=1)
    run()
    assert [email.subject for email in mail.outbox] == ["Last call"]


# Browse left


BROWSE_STEP = (2, "hours", "email", "Still looking at {product}?", "Viewed {count} times; {price}.")


def test_a_product_viewed_three_times_and_not_bought_gets_a_browse_left_email(clock, run, product):
    journey = make_journey("browse_left", BROWSE_STEP, min_views=3)
    ann = make_customer("ann@example.com", consents=["email"])
    bob = make_customer("bob@example.com", consents=["email"])
    view(ann, product, times=3)
    view(bob, product, times=2)

    at(clock, hours=2)
    run()

    (email,) = mail.outbox
    assert email.to == ["ann@example.com"]
    assert "Still looking at Enamel Camping Mug?" in email.subject
    assert "Viewed 3 times; £12.50." in email.body
    assert product.get_absolute_url() in email.body
    assert the_run(journey, ann).key == f"product:{product.pk}"


def test_views_older_than_the_lookback_do_not_count(clock, run, product):
    make_journey("browse_left", BROWSE_STEP, min_views=3, lookback_days=7)
    ann = make_customer(consents=["email"])
    view(ann, product, times=2)

    at(clock, days=8)
    view(ann, product)
    run()

    assert not JourneyRun.objects.exists()


def test_a_product_in_the_basket_is_not_browse_left_and_adding_it_stops_the_journey(
    clock, run, product
):
    journey = make_journey("browse_left", BROWSE_STEP)
    ann = make_customer("ann@example.com", consents=["email"])
    bob = make_customer("bob@example.com", consents=["email"])
    add_to_basket(ann, product)
    view(ann, product, times=3)
    view(bob, product, times=3)
    at(clock, minutes=5)
    run()
    assert list(JourneyRun.objects.values_list("profile", flat=True)) == [bob.pk]

    add_to_basket(bob, product)
    at(clock, hours=2)
    run()

    assert mail.outbox == []
    assert the_run(journey, bob).stop_reason == "The product was added to the basket."


# Price drop


@pytest.fixture
def price_drop_journey():
    return make_journey(
        "price_drop",
        (0, "minutes", "email", "{product} is now {price}", "It was {old_price}: {percent} off."),
        min_drop_percent=10,
    )


def reprice(product, price):
    stockrecord = product.stockrecords.get()
    stockrecord.price = Decimal(price)
    stockrecord.save()


def test_a_price_cut_is_noted_and_told_to_those_who_viewed_the_product(
    clock, run, product, price_drop_journey
):
    ann = make_customer("ann@example.com", consents=["email"])
    make_customer("bob@example.com", consents=["email"])
    view(ann, product)

    at(clock, hours=1)
    reprice(product, "10.00")
    run()

    drop = PriceDrop.objects.get()
    assert (drop.product_id, drop.old_price, drop.new_price) == (
        product.pk,
        Decimal("12.50"),
        Decimal("10.00"),
    )
    (email,) = mail.outbox
    assert email.to == ["ann@example.com"]
    assert "Enamel Camping Mug is now £10.00" in email.subject
    assert "It was £12.50: 20% off." in email.body


def test_small_cuts_and_price_rises_tell_nobody(clock, run, product, price_drop_journey):
    ann = make_customer(consents=["email"])
    view(ann, product)

    at(clock, hours=1)
    reprice(product, "13.00")
    reprice(product, "12.00")  # 7.7% off
    run()

    assert [(d.old_price, d.new_price) for d in PriceDrop.objects.all()] == [
        (Decimal("13.00"), Decimal("12.00"))
    ]
    assert mail.outbox == []


def test_a_price_cut_at_a_stores_till_is_not_a_price_drop_online(
    clock, run, product, price_drop_journey
):
    from omni_plugin.stores.models import Store

    ann = make_customer(consents=["email"])
    view(ann, product)
    store = Store.objects.create(
        name="Oscar Omni Leeds", code="LDS-01", latitude=53.8, longitude=-1.55, country="GB"
    )
    shelf = product.stockrecords.create(
        partner=store.partner, partner_sku="LDS-MUG", price=Decimal("12.50"), num_in_stock=3
    )

    at(clock, hours=1)
    shelf.price = Decimal("8.00")
    shelf.save()
    run()

    assert not PriceDrop.objects.exists()
    assert mail.outbox == []


def test_a_price_cut_reaches_customers_who_wished_for_the_product(
    clock, run, product, price_drop_journey
):
    from tests.conftest import make_customer as make_user

    WishList = get_model("wishlists", "WishList")
    user = make_user("cat@example.com")
    cat = make_customer("cat@example.com", consents=["email"])
    cat.identifiers.create(kind="user", value=str(user.pk))
    WishList.objects.create(owner=user, name="Camping").add(product)

    reprice(product, "9.00")
    run()

    (email,) = mail.outbox
    assert email.to == ["cat@example.com"]


def test_buying_the_product_stops_the_price_drop_journey(clock, run, product):
    journey = make_journey(
        "price_drop", (2, "hours", "email", "{product} for less", "Now {price}.")
    )
    ann = make_customer(consents=["email"])
    view(ann, product)
    reprice(product, "10.00")
    run()

    at(clock, hours=1)
    place_order(ann, "100001", product, price="10.00")
    at(clock, hours=2)
    run()

    assert mail.outbox == []
    assert the_run(journey, ann).stop_reason == "The product was bought."


# Win-back


@pytest.fixture
def win_back_journey():
    return make_journey(
        "win_back",
        (0, "minutes", "email", "We miss you", "New in {category}, {days} days on."),
        inactive_days=60,
    )


def test_a_customer_gone_quiet_for_sixty_days_hears_of_their_favourite_category(
    clock, run, product, category, win_back_journey
):
    ann = make_customer("ann@example.com", consents=["email"])
    make_customer("bob@example.com", consents=["email"])  # never ordered
    view(ann, product)
    place_order(ann, "100001", product)

    at(clock, days=59)
    run()
    assert mail.outbox == []
    at(clock, days=60, minutes=1)
    run()

    (email,) = mail.outbox
    assert email.to == ["ann@example.com"]
    assert "New in Mugs, 60 days on." in email.body
    assert category.get_absolute_url() in email.body
    assert the_run(win_back_journey, ann).key == "inactive:2026-03-10"


def test_a_customer_who_comes_back_before_the_step_is_not_won_back(clock, run, product):
    journey = make_journey(
        "win_back", (2, "days", "email", "We miss you", "Come back."), inactive_days=60
    )
    ann = make_customer(consents=["email"])
    place_order(ann, "100001", product)
    at(clock, days=60, minutes=1)
    run()

    at(clock, days=61)
    view(ann, product)
    at(clock, days=62, minutes=1)
    run()

    assert mail.outbox == []
    assert the_run(journey, ann).stop_reason == "The customer came back."


# Ready for pickup


@pytest.fixture
def pickup_journey():
    return make_journey(
        "pickup_ready",
        (0, "minutes", "email", "Order {order} is ready", "Collect it at {store}."),
        (24, "hours", "email", "Order {order} is waiting", "Still at {store} for you."),
        order_status="Ready for collection",
    )


def test_an_order_ready_for_collection_is_announced_then_reminded(clock, run, pickup_journey):
    ann = make_customer(consents=[])
    record_consent(ann.pk, "email", "granted", source="checkout")
    change_status(ann, "100001", "Pending", "Being processed")
    change_status(ann, "100001", "Being processed", "Ready for collection")

    run()
    at(clock, hours=24)
    run()

    assert [email.subject for email in mail.outbox] == [
        "Order 100001 is ready",
        "Order 100001 is waiting",
    ]
    intents = Message.objects.filter(profile=ann).order_by("created_at")
    assert list(intents.values_list("intent", flat=True)) == ["ready_for_pickup", "pickup_reminder"]


def test_a_collected_order_gets_no_reminder(clock, run, pickup_journey):
    ann = make_customer()
    change_status(ann, "100001", "Being processed", "Ready for collection")
    run()

    at(clock, hours=3)
    change_status(ann, "100001", "Ready for collection", "Complete")
    at(clock, hours=24)
    run()

    assert [email.subject for email in mail.outbox] == ["Order 100001 is ready"]
    assert the_run(pickup_journey, ann).stop_reason == "The order moved on to “Complete”."


# Merges and erasure


def test_a_merged_profiles_journey_goes_on_for_the_survivor(clock, run, product):
    journey = make_journey("basket_left", *BASKET_STEPS[1:])
    guest = Profile.objects.create()
    ann = make_customer("ann@example.com", consents=["email"])
    add_to_basket(guest, product)
    at(clock, minutes=5)
    run()

    merge(ann.pk, guest.pk, Merge.Reason.LOGIN)

    assert the_run(journey, ann).key == "basket"
    assert not JourneyRun.objects.filter(profile=guest).exists()


def test_a_customers_copy_of_their_data_lists_their_journeys(clock, run, product):
    make_journey("basket_left", *BASKET_STEPS, name="Basket reminders")
    ann = make_customer(consents=["email"])
    add_to_basket(ann, product)
    at(clock, hours=1)
    run()

    assert export_profile(ann)["journey_runs"] == [
        {
            "journey": "Basket reminders",
            "about": "basket",
            "started_at": NOON.isoformat(),
            "steps_done": 1,
            "status": "active",
            "stop_reason": "",
        }
    ]


def test_erasing_a_customer_ends_their_journeys(clock, run, product):
    make_journey("basket_left", *BASKET_STEPS[1:])
    ann = make_customer(consents=["email"])
    add_to_basket(ann, product)
    at(clock, minutes=5)
    run()

    erase_profile(ann)

    assert not JourneyRun.objects.exists()


# Cost


def test_customers_with_nothing_due_cost_the_runner_no_queries(clock, run, product):
    make_journey("basket_left", *BASKET_STEPS)

    def queries_with(customers, minute):
        at(clock, minutes=minute)
        for _ in range(customers):
            add_to_basket(Profile.objects.create(), product)
        run()  # enrols them: their first step is an hour away
        at(clock, minutes=minute + 10)
        with CaptureQueriesContext(connection) as captured:
            run()
        return len(captured)

    assert queries_with(3, minute=0) == queries_with(30, minute=20)
    assert JourneyRun.objects.filter(status="active").count() == 33


# The demo


def test_the_demo_seeds_the_journeys_with_steps_editors_could_have_written():
    from omni_plugin.messaging.journeys.validation import placeholder_problem
    from sandbox.demo.journeys import create_journeys

    create_journeys()

    journeys = {journey.name: journey for journey in Journey.objects.all()}
    assert journeys["Basket left"].steps_summary() == "push after 1 h, email after 24 h"
    assert journeys["Win-back"].inactive_days == 60
    assert journeys["Ready for pickup"].steps_summary() == "message after 0 min, message after 24 h"
    assert set(journeys) == {
        "Basket left",
        "Browse left",
        "Price drop",
        "Win-back",
        "Ready for pickup",
    }
    for journey in journeys.values():
        for journey_step in journey.ordered_steps:
            for text in (journey_step.title, journey_step.body):
                assert placeholder_problem(text, journey.trigger) is None
    assert create_journeys().startswith("already present")
