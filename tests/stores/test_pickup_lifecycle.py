"""A click and collect order after the checkout: ready, then collected, or expired when the
hold runs out; the customer told through messaging; staff steps in the admin. The clock is
frozen so that the hold is exact."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from conftest import add_to_basket
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.test import Client
from oscar.core.loading import get_model

from omni_plugin.core.consent import record_consent
from omni_plugin.core.models import Event
from omni_plugin.messaging.journeys.runner import run_journeys
from omni_plugin.messaging.models import Journey, Message
from omni_plugin.push.models import PushSubscription
from omni_plugin.stores.checks import check_pickup_journey
from omni_plugin.stores.models import OrderPickup
from omni_plugin.stores.pickup_lifecycle import PickupError, expire_due, mark_collected, mark_ready
from tests.conftest import PASSWORD, admin_browser
from tests.messaging.journey_factories import make_journey
from tests.push.mock_service import MockPushService
from tests.push.shop import allow_push_service, browser_keys, use_vapid_identity
from tests.stores.factories import MONDAY_NOON, create_store, store_stock

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
PICKUPS = "/cms/pickups/"
HOLD = timedelta(days=7)


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY_NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def manchester(db):
    return create_store("Oscar Omni Manchester", "MAN-01", 53.4794, -2.2453, pickup_enabled=True)


@pytest.fixture
def store_record(product, manchester):
    """The store's stock: five in stock, two of them promised to other orders."""
    return store_stock(product, manchester, 5, num_allocated=2)


@pytest.fixture
def pickup(clock, client, product, manchester, store_record):
    """A guest's order of one, placed through Oscar's checkout, to collect at Manchester."""
    add_to_basket(client, product)
    client.post("/shop/checkout/", {"username": "ada@example.com", "options": "anonymous"})
    client.post("/omni/stores/collect/", {"store": manchester.pk})
    response = client.post("/shop/checkout/preview/", {"action": "place_order"}, follow=True)
    mail.outbox.clear()  # the order's confirmation
    return OrderPickup.objects.get(order=response.context["order"])


@pytest.fixture
def pickup_journey():
    return make_journey(
        "pickup_ready",
        (0, "minutes", "", "Order {order} is ready", "Collect it at {store}."),
        (24, "hours", "", "Order {order} is still waiting", "It is kept for you."),
        order_status="Ready for collection",
    )


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """What the dispatcher does every minute, pushes included (they go after the commit)."""

    def run_now():
        with django_capture_on_commit_callbacks(execute=True):
            return run_journeys()

    return run_now


@pytest.fixture
def push_service(settings):
    shop_key = use_vapid_identity(settings)
    allow_push_service(settings, "127.0.0.1")
    with MockPushService(public_key=shop_key) as service:
        yield service


def stock(record):
    """(in stock, allocated) of a stock record, as the database has it now."""
    record.refresh_from_db()
    return record.num_in_stock, record.num_allocated


def order_status(pickup):
    return Order.objects.get(pk=pickup.order_id).status


def customer_of(pickup):
    return Event.objects.get(kind="order_placed", order_number=pickup.order.number).profile


# The life cycle


def test_a_ready_order_is_announced_by_email_then_collected(
    clock, run, pickup, pickup_journey, store_record
):
    assert (pickup.status, order_status(pickup), stock(store_record)) == (
        "awaiting",
        "Pending",
        (5, 3),
    )

    mark_ready(pickup)
    run()

    assert (pickup.status, pickup.ready_at, pickup.expires_at) == (
        "ready",
        MONDAY_NOON,
        MONDAY_NOON + HOLD,
    )
    assert order_status(pickup) == "Ready for collection"
    (email,) = mail.outbox
    assert email.to == ["ada@example.com"]
    assert email.subject == f"Order {pickup.order.number} is ready"
    assert f"Collect it at {pickup.store_name}." in email.body
    assert Message.objects.get().intent == "ready_for_pickup"

    clock.shift(timedelta(hours=3))
    mark_collected(pickup)
    clock.shift(timedelta(days=1))
    run()

    assert (pickup.status, pickup.collected_at) == ("collected", MONDAY_NOON + timedelta(hours=3))
    assert order_status(pickup) == "Collected"
    assert stock(store_record) == (4, 2)
    assert len(mail.outbox) == 1  # no reminder once collected


def test_a_customer_subscribed_to_push_is_told_by_push(
    clock, run, pickup, pickup_journey, push_service
):
    customer = customer_of(pickup)
    record_consent(customer.pk, "push", "granted", source="prompt")
    keys = browser_keys()
    browser = PushSubscription.objects.create(
        profile=customer,
        endpoint=push_service.endpoint("ada-browser"),
        p256dh=keys["p256dh"],
        auth=keys["auth"],
        device=PushSubscription.Device.DESKTOP,
    )

    mark_ready(pickup)
    run()

    assert [push.status for push in push_service.received(browser.endpoint)] == [201]
    assert mail.outbox == []
    assert Message.objects.get().intent == "ready_for_pickup"


def test_an_order_nobody_collects_expires_after_the_hold_and_frees_its_stock_once(
    clock, pickup, store_record
):
    mark_ready(pickup)

    clock.shift(HOLD - timedelta(minutes=1))
    assert expire_due() == 0
    assert stock(store_record) == (5, 3)

    clock.shift(timedelta(minutes=1))
    output = StringIO()
    call_command("omni_pickups_expire", stdout=output)
    call_command("omni_pickups_expire", stdout=output)

    assert output.getvalue().splitlines() == ["Expired 1 pickup(s).", "Expired 0 pickup(s)."]
    pickup.refresh_from_db()
    assert pickup.status == "expired"
    assert order_status(pickup) == "Not collected"
    assert stock(store_record) == (5, 2)  # the other orders keep theirs


def test_the_hold_is_a_setting(clock, settings, pickup):
    settings.OMNI_PICKUP_HOLD_DAYS = 2

    mark_ready(pickup)

    assert pickup.expires_at == MONDAY_NOON + timedelta(days=2)


def test_the_order_statuses_are_settings(clock, settings, monkeypatch, pickup):
    # Oscar reads its pipeline once, into the Order class.
    monkeypatch.setattr(Order, "pipeline", {**Order.pipeline, "Pending": ("In store",)})
    settings.OMNI_PICKUP_READY_STATUS = "In store"

    mark_ready(pickup)

    assert order_status(pickup) == "In store"


def test_steps_out_of_turn_are_refused_and_change_nothing(clock, pickup, store_record):
    number = pickup.order.number
    with pytest.raises(PickupError, match=f"Order {number} cannot be marked collected: it is"):
        mark_collected(pickup)
    assert (pickup.status, order_status(pickup), stock(store_record)) == (
        "awaiting",
        "Pending",
        (5, 3),
    )

    mark_ready(pickup)
    with pytest.raises(PickupError, match="cannot be marked ready: it is “Ready for pickup”"):
        mark_ready(pickup)
    assert pickup.expires_at == MONDAY_NOON + HOLD

    clock.shift(HOLD)
    expire_due()
    pickup.refresh_from_db()
    with pytest.raises(PickupError, match="cannot be marked collected: it is “Expired”"):
        mark_collected(pickup)
    assert (pickup.status, order_status(pickup), stock(store_record)) == (
        "expired",
        "Not collected",
        (5, 2),
    )


def test_an_order_its_pipeline_does_not_let_be_ready_stays_as_it_is(clock, pickup):
    pickup.order.set_status("Cancelled")

    with pytest.raises(PickupError, match="'Ready for collection' is not a valid status"):
        mark_ready(pickup)

    pickup.refresh_from_db()
    assert (pickup.status, pickup.ready_at, order_status(pickup)) == (
        "awaiting",
        None,
        "Cancelled",
    )


def test_a_pickup_that_cannot_expire_is_skipped_and_the_others_expire(
    clock, client, product, pickup, store_record, caplog
):
    other = mark_ready(make_second_pickup(client, product, pickup.store))
    mark_ready(pickup)
    pickup.order.set_status("Cancelled")

    clock.shift(HOLD)
    assert expire_due() == 1

    other.refresh_from_db()
    pickup.refresh_from_db()
    assert (other.status, pickup.status) == ("expired", "ready")
    assert f"Pickup #{pickup.pk} was not expired: 'Not collected' is not a valid" in caplog.text


def make_second_pickup(client, product, store):
    client.cookies.clear()
    add_to_basket(client, product)
    client.post("/shop/checkout/", {"username": "bob@example.com", "options": "anonymous"})
    client.post("/omni/stores/collect/", {"store": store.pk})
    response = client.post("/shop/checkout/preview/", {"action": "place_order"}, follow=True)
    return OrderPickup.objects.get(order=response.context["order"])


# Telling customers


def test_the_demo_tells_customers_when_their_order_is_ready():
    from sandbox.demo.journeys import create_journeys

    create_journeys()

    journey = Journey.objects.get(name="Ready for pickup")
    assert (journey.live, journey.trigger, journey.order_status) == (
        True,
        "pickup_ready",
        "Ready for collection",
    )


def test_a_pickup_store_without_a_live_pickup_journey_is_warned_about(manchester):
    (warning,) = check_pickup_journey(None, databases=["default"])
    assert warning.id == "omni.W016"
    assert "'Ready for collection'" in warning.msg

    make_journey(
        "pickup_ready",
        (0, "minutes", "", "Order {order} is ready", "Come and get it."),
        order_status="Ready for collection",
    )
    assert check_pickup_journey(None, databases=["default"]) == []


# Staff in the admin


@pytest.fixture
def staff():
    return admin_browser("staff", is_staff=True, is_superuser=True)


def text(response):
    return response.content.decode()


def test_staff_list_the_pickups_by_store_and_status(clock, staff, pickup, manchester):
    london = create_store("Oscar Omni London", "LON-01", 51.5072, -0.1276, pickup_enabled=True)
    number = pickup.order.number

    assert number in text(staff.get(PICKUPS))
    assert number in text(staff.get(PICKUPS, {"store": manchester.pk, "status": "awaiting"}))
    assert number not in text(staff.get(PICKUPS, {"store": london.pk}))
    assert number not in text(staff.get(PICKUPS, {"status": "ready"}))
    assert "Pickups" in text(staff.get("/cms/"))


def test_staff_mark_an_order_ready_then_collected(clock, staff, pickup, store_record):
    number = pickup.order.number
    listing = text(staff.get(PICKUPS))
    assert f"{PICKUPS}{pickup.pk}/ready/" in listing
    assert f"{PICKUPS}{pickup.pk}/collected/" not in listing
    assert "Mark ready" in text(staff.get(f"{PICKUPS}{pickup.pk}/ready/"))

    response = staff.post(f"{PICKUPS}{pickup.pk}/ready/", follow=True)

    assert f"Order {number} is ready for collection at Oscar Omni Manchester." in text(response)
    pickup.refresh_from_db()
    assert (pickup.status, order_status(pickup)) == ("ready", "Ready for collection")
    assert f"{PICKUPS}{pickup.pk}/collected/" in text(staff.get(PICKUPS))

    response = staff.post(f"{PICKUPS}{pickup.pk}/collected/", follow=True)

    assert f"Order {number} was collected at Oscar Omni Manchester." in text(response)
    pickup.refresh_from_db()
    assert (pickup.status, stock(store_record)) == ("collected", (4, 2))


def test_a_step_out_of_turn_in_the_admin_is_an_error_message(clock, staff, pickup, store_record):
    response = staff.post(f"{PICKUPS}{pickup.pk}/collected/", follow=True)

    assert "cannot be marked collected: it is “Being prepared”" in text(response)
    pickup.refresh_from_db()
    assert (pickup.status, stock(store_record)) == ("awaiting", (5, 3))


def test_staff_who_may_only_view_pickups_cannot_take_steps(clock, pickup):
    viewer = get_user_model().objects.create_user("viewer", password=PASSWORD, is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_orderpickup"),
    )
    browser = Client()
    browser.post("/cms/login/", {"username": "viewer", "password": PASSWORD})

    assert pickup.order.number in text(browser.get(PICKUPS))
    assert "/ready/" not in text(browser.get(PICKUPS))
    browser.post(f"{PICKUPS}{pickup.pk}/ready/")

    pickup.refresh_from_db()
    assert pickup.status == "awaiting"
