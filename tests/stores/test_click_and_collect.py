"""Click and collect through Oscar's real checkout views."""

import pytest
import time_machine
from conftest import ADDRESS, add_to_basket, check_out
from django.test import override_settings
from oscar.core.loading import get_class, get_model

from omni_plugin.stores.models import OrderPickup, Store
from tests.stores.factories import MONDAY_NOON, SUNDAY_EVENING, create_store, store_stock

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
Repository = get_class("shipping.repository", "Repository")

COLLECT = "/omni/stores/collect/"


@pytest.fixture
def manchester(db):
    return create_store(
        "Oscar Omni Manchester",
        "MAN-01",
        53.4794,
        -2.2453,
        line1="10 Market Street",
        postcode="M1 1AA",
        phone="0161 000 0000",
        pickup_enabled=True,
    )


@pytest.fixture
def london(db):
    return create_store("Oscar Omni London", "LON-01", 51.5072, -0.1276, pickup_enabled=True)


@pytest.fixture
def warehouse_record(product):
    return product.stockrecords.get()


def start_checkout(client, product, quantity=1):
    add_to_basket(client, product, quantity)
    response = client.post(
        "/shop/checkout/", {"username": "ada@example.com", "options": "anonymous"}
    )
    assert response.status_code == 302, response.content[:2000]


def collect_at(client, store_id):
    return client.post(COLLECT, {"store": store_id})


def place_order(client):
    return client.post("/shop/checkout/preview/", {"action": "place_order"}, follow=True)


def allocated(record):
    record.refresh_from_db()
    return record.num_allocated or 0


def test_a_guest_collects_in_store_without_giving_an_address(
    client, product, manchester, london, warehouse_record
):
    manchester_record = store_stock(product, manchester, 5)
    london_record = store_stock(product, london, 1)
    start_checkout(client, product, quantity=2)

    address_page = client.get("/shop/checkout/shipping-address/")
    assert "Collect in store instead?" in address_page.content.decode()

    choice_page = client.get(COLLECT)
    assert choice_page.status_code == 200
    offered = [store for store, _distance, _status in choice_page.context["store_rows"]]
    assert offered == [manchester]  # London has one, the basket wants two

    response = collect_at(client, manchester.pk)
    assert response.status_code == 302
    assert response["Location"] == "/shop/checkout/payment-method/"
    preview = client.get("/shop/checkout/preview/").content.decode()
    assert "Collect from" in preview and "10 Market Street" in preview

    thank_you = place_order(client)
    order = thank_you.context["order"]
    assert order.shipping_address is None
    assert ShippingAddress.objects.count() == 0
    assert order.shipping_code == "click-and-collect"
    pickup = OrderPickup.objects.get(order=order)
    assert (pickup.store, pickup.store_name, pickup.store_code) == (
        manchester,
        "Oscar Omni Manchester",
        "MAN-01",
    )
    assert pickup.address_lines == ["10 Market Street", "Oscar Omni Manchester", "M1 1AA", "GB"]
    assert [line.stockrecord for line in order.lines.all()] == [manchester_record]
    assert (allocated(manchester_record), allocated(london_record)) == (2, 0)
    assert allocated(warehouse_record) == 0

    page = thank_you.content.decode()
    assert "Collect from" in page
    assert "10 Market Street" in page
    assert "Monday" in page and "09:00–20:00" in page and "11:00–17:00" in page


def test_the_confirmation_email_says_where_to_collect_the_order(
    client, product, manchester, mailoutbox
):
    store_stock(product, manchester, 5)
    start_checkout(client, product)
    collect_at(client, manchester.pk)
    order = place_order(client).context["order"]

    email = mailoutbox[-1]
    assert email.to == ["ada@example.com"]
    assert email.subject == f"Confirmation of order {order.number}"
    assert "Collect from:" in email.body
    assert "Oscar Omni Manchester" in email.body and "10 Market Street" in email.body
    assert "Sunday: 11:00–17:00" in email.body
    assert "Shipping address" not in email.body
    html = email.alternatives[0][0]
    assert "10 Market Street" in html and "09:00–20:00" in html


def test_the_stores_come_chosen_store_first_with_their_opening_status(
    client, product, manchester, london
):
    store_stock(product, manchester, 5)
    store_stock(product, london, 5)
    start_checkout(client, product)
    response = client.post("/omni/stores/choose/", {"store": "MAN-01"})
    assert response.status_code == 302

    with time_machine.travel(MONDAY_NOON, tick=False):
        page = client.get(COLLECT)
    assert [row[0] for row in page.context["store_rows"]] == [manchester, london]
    assert page.content.decode().count("Open until 20:00") == 2

    with time_machine.travel(SUNDAY_EVENING, tick=False):
        page = client.get(COLLECT)
    assert "Closed · opens Monday 09:00" in page.content.decode()


def test_the_order_keeps_its_store_after_the_store_is_deleted(
    client, product, manchester, warehouse_record
):
    store_stock(product, manchester, 5)
    start_checkout(client, product)
    collect_at(client, manchester.pk)
    order = place_order(client).context["order"]

    manchester.delete()

    pickup = OrderPickup.objects.get(order=order)
    assert pickup.store is None
    assert pickup.store_name == "Oscar Omni Manchester"
    assert pickup.weekly_hours() == []


def test_a_basket_no_store_can_supply_offers_no_pickup(client, product, manchester, london):
    store_stock(product, london, 1, num_allocated=1)  # all of it promised to other orders
    start_checkout(client, product)
    basket = Basket.objects.get()
    basket.strategy = client.get("/shop/").wsgi_request.strategy

    codes = [method.code for method in Repository().get_shipping_methods(basket)]
    assert "click-and-collect" not in codes
    assert (
        "Collect in store instead?"
        not in client.get("/shop/checkout/shipping-address/").content.decode()
    )
    response = client.get(COLLECT, follow=True)
    assert response.redirect_chain[-1][0] == "/shop/checkout/shipping-address/"
    assert "No store can hand over your basket" in response.content.decode()


def test_delivery_still_skips_the_method_step_when_pickup_is_offered(
    client, product, manchester, shipping_country
):
    store_stock(product, manchester, 5)
    add_to_basket(client, product)
    order = check_out(client, guest_email="ada@example.com").context["order"]
    assert order.shipping_code == "free-shipping"
    assert order.shipping_address.line1 == "12 St James's Square"
    assert not OrderPickup.objects.exists()


def test_giving_an_address_after_choosing_a_store_goes_back_to_delivery(
    client, product, manchester, shipping_country, warehouse_record
):
    store_record = store_stock(product, manchester, 5)
    start_checkout(client, product)
    collect_at(client, manchester.pk)

    response = client.post("/shop/checkout/shipping-address/", ADDRESS, follow=True)
    assert response.redirect_chain[-1][0] == "/shop/checkout/payment-details/"
    order = place_order(client).context["order"]
    assert (order.shipping_code, order.shipping_address.postcode) == ("free-shipping", "SW1Y 4JH")
    assert not OrderPickup.objects.exists()
    assert (allocated(warehouse_record), allocated(store_record)) == (1, 0)


@override_settings(OMNI_PICKUP_ALLOW_TRANSFERS=True)
def test_with_transfers_any_pickup_store_is_offered_and_the_warehouse_supplies(
    client, product, manchester, warehouse_record
):
    start_checkout(client, product, quantity=2)
    assert [row[0] for row in client.get(COLLECT).context["store_rows"]] == [manchester]
    collect_at(client, manchester.pk)
    order = place_order(client).context["order"]
    assert order.pickup.store == manchester
    assert [line.stockrecord for line in order.lines.all()] == [warehouse_record]
    assert allocated(warehouse_record) == 2


def refused(client, store_id):
    response = collect_at(client, store_id)
    assert response.status_code == 400
    return response.content.decode()


def nothing_chosen_nor_allocated(client, *records):
    response = place_order(client)
    assert "order" not in response.context
    assert response.redirect_chain[-1][0] == "/shop/checkout/shipping-address/"
    assert not Order.objects.exists()
    assert all(allocated(record) == 0 for record in records)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"active": False}, id="inactive"),
        pytest.param({"pickup_enabled": False}, id="no-click-and-collect"),
    ],
)
def test_a_store_the_visitor_may_not_choose_is_refused(client, product, manchester, change):
    record = store_stock(product, manchester, 5)
    Store.objects.filter(pk=manchester.pk).update(**change)
    start_checkout(client, product)
    assert "This store does not offer click and collect" in refused(client, manchester.pk)
    nothing_chosen_nor_allocated(client, record)


def test_an_unknown_store_is_refused(client, product, manchester):
    record = store_stock(product, manchester, 5)
    start_checkout(client, product)
    assert "This store does not offer click and collect" in refused(client, 999_999)
    assert "Enter a whole number" in refused(client, "MAN-01")
    nothing_chosen_nor_allocated(client, record)


def test_a_store_without_the_stock_is_refused(client, product, manchester, london):
    store_stock(product, manchester, 5)
    london_record = store_stock(product, london, 1)
    start_checkout(client, product, quantity=2)
    page = refused(client, london.pk)
    assert "Oscar Omni London does not have every item of your basket in stock" in page
    nothing_chosen_nor_allocated(client, london_record)


def test_a_store_closed_for_good_is_refused(client, product, manchester):
    record = store_stock(product, manchester, 5)
    manchester.opening_hours.all().delete()
    start_checkout(client, product)
    assert "Oscar Omni Manchester is closed" in refused(client, manchester.pk)
    nothing_chosen_nor_allocated(client, record)


def test_a_store_that_sells_out_before_the_order_is_placed_is_refused(
    client, product, manchester, london, warehouse_record
):
    record = store_stock(product, manchester, 1)
    store_stock(product, london, 3)
    start_checkout(client, product)
    collect_at(client, manchester.pk)
    record.num_allocated = 1  # another customer's order took the last one
    record.save()

    response = place_order(client)
    assert response.redirect_chain[-1][0] == COLLECT
    assert "Oscar Omni Manchester does not have every item" in response.content.decode()
    assert [row[0] for row in response.context["store_rows"]] == [london]
    assert not Order.objects.exists()
    assert (allocated(record), allocated(warehouse_record)) == (1, 0)


def offers_pickup(client):
    basket = Basket.objects.get()
    basket.strategy = client.get("/shop/").wsgi_request.strategy
    return "click-and-collect" in [m.code for m in Repository().get_shipping_methods(basket)]


def test_a_store_that_stops_click_and_collect_is_no_longer_offered_at_once(
    client, product, manchester
):
    store_stock(product, manchester, 5)
    start_checkout(client, product)
    assert offers_pickup(client)

    manchester.pickup_enabled = False
    manchester.save()

    assert not offers_pickup(client)


def test_a_store_left_without_opening_hours_is_no_longer_offered_at_once(
    client, product, manchester
):
    store_stock(product, manchester, 5)
    start_checkout(client, product)
    assert offers_pickup(client)

    manchester.opening_hours.all().delete()

    assert not offers_pickup(client)


def test_with_the_plugin_switched_off_checkout_offers_no_click_and_collect(
    client, product, manchester, settings
):
    store_stock(product, manchester, 5)
    start_checkout(client, product)
    assert offers_pickup(client)

    settings.OMNI_ENABLED = False

    assert not offers_pickup(client)
