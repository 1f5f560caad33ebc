"""Click and collect at the till: the store's orders to prepare and ready, marked ready,
collected by the customer identified, and returned; never another store's."""

import pytest
from conftest import add_to_basket
from django.core import mail
from oscar.core.loading import get_model

from omni_plugin.core.models import Event
from omni_plugin.core.orders import profile_for_order
from omni_plugin.pos import qr
from omni_plugin.stores.models import OrderPickup
from tests.pos.factories import london_store, manchester_store, till_of
from tests.stores.factories import store_stock

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def store():
    return manchester_store(pickup_enabled=True)


@pytest.fixture
def till(store):
    return till_of(store, scopes=["pickups", "customers:read"])


@pytest.fixture
def store_record(product, store):
    return store_stock(product, store, 5)


@pytest.fixture
def pickup(client, product, store, store_record):
    """Ada's order of one mug, placed through Oscar's checkout, to collect at Manchester."""
    add_to_basket(client, product)
    client.post("/shop/checkout/", {"username": "ada@example.com", "options": "anonymous"})
    client.post("/omni/stores/collect/", {"store": store.pk})
    response = client.post("/shop/checkout/preview/", {"action": "place_order"}, follow=True)
    mail.outbox.clear()
    return OrderPickup.objects.get(order=response.context["order"])


def test_the_till_lists_the_orders_to_prepare_and_ready(till, pickup):
    number = pickup.order.number

    listed = till.get("pickups/").json()

    assert [(p["order"], p["status"], p["email"]) for p in listed] == [
        (number, "awaiting", "ada@example.com")
    ]
    assert listed[0]["lines"][0]["quantity"] == 1
    assert till.get("pickups/", status="ready").json() == []
    assert till.get("pickups/", status="collected").status_code == 400


def test_ready_then_collected_by_the_customer_who_ordered(till, pickup, store_record):
    number = pickup.order.number

    ready = till.post(f"pickups/{number}/ready/")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
    assert [p["order"] for p in till.get("pickups/", status="ready").json()] == [number]

    collected = till.post(
        f"pickups/{number}/collected/", {"customer": {"email": "ADA@example.com"}}
    )

    assert collected.status_code == 200
    assert collected.json()["status"] == "collected"
    pickup.refresh_from_db()
    assert pickup.order.status == "Collected"
    store_record.refresh_from_db()
    assert (store_record.num_in_stock, store_record.num_allocated) == (4, 0)


def test_the_customer_can_collect_with_their_qr_code(till, pickup):
    till.post(f"pickups/{pickup.order.number}/ready/")
    token = qr.issue_token(profile_for_order(pickup.order))

    response = till.post(f"pickups/{pickup.order.number}/collected/", {"customer": {"qr": token}})

    assert response.status_code == 200
    assert response.json()["status"] == "collected"


def test_someone_else_cannot_collect_the_order(till, pickup):
    till.post(f"pickups/{pickup.order.number}/ready/")
    till_of(pickup.store, scopes=["customers:write"]).post(
        "customers/", {"email": "bob@example.com", "consents": {"email": "denied"}}
    )

    response = till.post(
        f"pickups/{pickup.order.number}/collected/", {"customer": {"email": "bob@example.com"}}
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": f"The customer identified did not place order {pickup.order.number}."
    }
    pickup.refresh_from_db()
    assert pickup.status == "ready"


def test_a_step_that_does_not_fit_is_a_conflict(till, pickup):
    response = till.post(f"pickups/{pickup.order.number}/returned/")

    assert response.status_code == 409
    assert "cannot be marked returned" in response.json()["detail"]


def test_a_returned_order_is_back_in_the_stores_stock(till, pickup, store_record):
    number = pickup.order.number
    till.post(f"pickups/{number}/ready/")
    till.post(f"pickups/{number}/collected/", {"customer": {"email": "ada@example.com"}})

    response = till.post(f"pickups/{number}/returned/")

    assert response.status_code == 200
    assert response.json()["status"] == "returned"
    store_record.refresh_from_db()
    assert store_record.num_in_stock == 5
    pickup.refresh_from_db()
    assert (pickup.order.status, pickup.returned_at is not None) == ("Returned", True)
    statuses = Event.objects.filter(kind="order_status_changed").values_list(
        "data__new_status", flat=True
    )
    assert list(statuses.order_by("id")) == ["Ready for collection", "Collected", "Returned"]


def test_another_stores_key_cannot_see_or_touch_the_order(pickup):
    london = till_of(london_store(), scopes=["pickups"])
    number = pickup.order.number

    assert london.get("pickups/").json() == []
    for step in ("ready", "returned"):
        response = london.post(f"pickups/{number}/{step}/")
        assert response.status_code == 404
        assert response.json() == {
            "detail": f"Store LON-01 has no click and collect order {number}."
        }
    pickup.refresh_from_db()
    assert pickup.status == "awaiting"


def test_the_customers_summary_shows_their_open_pickups_here(till, pickup):
    summary = till.post("customers/lookup/", {"email": "ada@example.com"}).json()

    assert [p["order"] for p in summary["open_pickups"]] == [pickup.order.number]
