"""Oscar's own views and signals, recorded as events on the right profile."""

import pytest
from conftest import add_to_basket, check_out, log_in, make_customer
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model
from oscar.test.factories import VoucherFactory

from omni_plugin.core.context import current_request
from omni_plugin.core.models import Event, Merge, Profile

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")


def visitor_profile(client):
    visitor_id = client.get("/shop/").wsgi_request.omni.visitor_id
    return Profile.objects.get(identifiers__kind="visitor", identifiers__value=visitor_id)


def kinds(profile):
    return list(profile.events.order_by("occurred_at", "id").values_list("kind", flat=True))


def test_adding_to_the_basket_records_the_product_and_the_basket_value(client, product):
    add_to_basket(client, product, quantity=2)
    event = Event.objects.get(kind="basket_addition")
    assert (event.product_id, event.value, event.data) == (
        product.pk,
        25,
        {"lines": 1, "products": [product.pk]},
    )
    assert visitor_profile(client).snapshot["basket"]["value"] == "25.00"


def test_removing_a_basket_line_records_what_is_left(client, product):
    add_to_basket(client, product)
    basket = Basket.objects.get()
    line = basket.lines.get()
    response = client.post(
        "/shop/basket/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": line.pk,
            "form-0-quantity": "1",
            "form-0-DELETE": "on",
        },
    )
    assert response.status_code == 302
    event = Event.objects.get(kind="basket_line_removed")
    assert (event.product_id, event.value, event.data["lines"]) == (product.pk, 0, 0)
    assert visitor_profile(client).snapshot["basket"] == {
        "value": "0.00",
        "lines": 0,
        "products": [],
        "updated_at": event.occurred_at.isoformat(),
    }


def test_a_voucher_added_to_the_basket_is_recorded(client, product):
    voucher = VoucherFactory(code="WELCOME10")
    add_to_basket(client, product)
    client.post("/shop/basket/vouchers/add/", {"code": "WELCOME10"})
    event = Event.objects.get(kind="voucher_addition")
    assert event.data == {"code": voucher.code}


def test_a_search_records_the_query(client):
    client.get("/shop/search/", {"q": "enamel mug"})
    assert Event.objects.get(kind="user_search").data == {"query": "enamel mug"}


def test_a_review_is_recorded_with_its_score(client, product):
    user = get_user_model().objects.create_user(
        "rev@example.com", "rev@example.com", "pw-123456789"
    )
    client.force_login(user)
    response = client.post(
        f"/shop/catalogue/{product.slug}_{product.pk}/reviews/add/",
        {"title": "Sturdy", "score": 4, "body": "Survived a week in the hills."},
    )
    assert response.status_code == 302, response.content[:2000]
    event = Event.objects.get(kind="review_added")
    assert (event.product_id, event.data) == (product.pk, {"score": 4})


def test_a_guest_checkout_records_the_whole_journey_on_one_profile(
    client, product, shipping_country
):
    client.get(product.get_absolute_url())
    add_to_basket(client, product, quantity=2)

    order = check_out(client, guest_email="Ada@Example.com").context["order"]

    profile = visitor_profile(client)
    assert kinds(profile) == ["product_viewed", "basket_addition", "start_checkout", "order_placed"]
    placed = profile.events.get(kind="order_placed")
    assert (placed.order_number, placed.value) == (order.number, order.total_incl_tax)
    assert placed.data["lines"] == [
        {
            "product_id": product.pk,
            "quantity": 2,
            "price": "25.00",
            "category_ids": list(product.categories.values_list("pk", flat=True)),
        }
    ]
    assert profile.snapshot["orders"]["count"] == 1
    assert profile.snapshot["basket"]["lines"] == 0
    assert profile.identifiers.filter(kind="email", value="ada@example.com").exists()


def test_a_guest_checkout_joins_the_earlier_guest_profile_of_the_same_email(
    client, product, shipping_country, django_capture_on_commit_callbacks
):
    other_browser = client.__class__(HTTP_USER_AGENT=client.defaults["HTTP_USER_AGENT"])
    add_to_basket(other_browser, product)
    check_out(other_browser, guest_email="ada@example.com")
    first = visitor_profile(other_browser)

    add_to_basket(client, product)
    with django_capture_on_commit_callbacks(execute=True):
        check_out(client, guest_email="ADA@example.com")

    merge = Merge.objects.get()
    assert (merge.survivor_id, merge.reason) == (first.pk, "checkout")
    first.refresh_from_db()
    assert first.snapshot["orders"]["count"] == 2
    assert visitor_profile(client).pk == first.pk


def test_an_order_with_a_customers_email_from_another_browser_does_not_glue_them(client, product):
    """Oscar's gateway refuses such guests; orders from elsewhere (a till) may still come."""
    from oscar.test.factories import create_order

    make_customer("ada@example.com")
    account_browser = client.__class__(HTTP_USER_AGENT=client.defaults["HTTP_USER_AGENT"])
    log_in(account_browser, "ada@example.com")
    account_profile = Profile.objects.get(identifiers__kind="user")
    client.get(product.get_absolute_url())
    browser_request = client.get("/shop/").wsgi_request

    token = current_request.set(browser_request)  # placed while this browser is served
    try:
        create_order(guest_email="ada@example.com")
    finally:
        current_request.reset(token)

    assert Event.objects.get(kind="order_placed").profile_id == account_profile.pk
    assert Merge.objects.count() == 0
    assert visitor_profile(client).pk != account_profile.pk
    assert "email" not in visitor_profile(client).snapshot


def test_a_customers_checkout_is_recorded_on_their_profile(client, product, shipping_country):
    customer = get_user_model().objects.create_user("bob", "bob@example.com", "pw-123456789")
    client.force_login(customer)
    add_to_basket(client, product)
    order = check_out(client).context["order"]
    profile = Profile.objects.get(identifiers__kind="user", identifiers__value=str(customer.pk))
    assert profile.events.get(kind="order_placed").order_number == order.number


def test_an_order_status_change_is_recorded_on_the_orders_profile(
    client, product, shipping_country
):
    add_to_basket(client, product)
    order = check_out(client, guest_email="ada@example.com").context["order"]
    Order.objects.get(pk=order.pk).set_status("Being processed")
    event = Event.objects.get(kind="order_status_changed")
    assert event.profile_id == visitor_profile(client).pk
    assert event.data == {"old_status": "Pending", "new_status": "Being processed"}


def test_an_order_placed_outside_a_request_finds_its_customer_by_email(product, shipping_country):
    from oscar.test.factories import create_order

    Profile.objects.create()
    order = create_order(guest_email="walk-in@example.com")
    event = Event.objects.get(kind="order_placed")
    assert event.order_number == str(order.number)
    assert event.profile.identifiers.get(kind="email").value == "walk-in@example.com"
