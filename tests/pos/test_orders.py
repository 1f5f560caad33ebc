"""In-store orders: recorded once per till id for good, alone or in batches answered item
by item, and feeding the customer's profile, segments and recommendations like online
orders do."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from omni_plugin.core import snapshot as snapshots
from omni_plugin.core.gdpr import erase_profile
from omni_plugin.core.identity import attach
from omni_plugin.core.models import Event, Identifier, Merge, Profile
from omni_plugin.personalization.recs.interactions import read_interactions
from omni_plugin.personalization.recs.model import KIND_WEIGHTS
from omni_plugin.personalization.segmenting import segments_for_profile
from omni_plugin.pos.customers import reference
from omni_plugin.pos.models import StoreOrder, StoreOrderLine
from tests.personalization.segment_factories import make_segment
from tests.pos.factories import london_store, till_of

pytestmark = pytest.mark.django_db

PLACED = "2026-11-20T10:30:00+00:00"


@pytest.fixture
def ada():
    profile_id = Profile.objects.create().pk
    attach(profile_id, Identifier.Kind.LOYALTY, "OMNI-1001", reason=Merge.Reason.POS)
    return profile_id


def sale(product, client_id="T1-0001", quantity=2, **fields):
    """A sale of ``quantity`` mugs at 12.50."""
    total = Decimal("12.50") * quantity
    return {
        "id": client_id,
        "placed_at": PLACED,
        "lines": [{"product": product.pk, "quantity": quantity, "unit_price": "12.50"}],
        "total": str(total),
        **fields,
    }


def test_an_order_is_recorded_with_its_lines_store_and_customer(till, product, ada):
    response = till.post("orders/", sale(product, customer={"id": reference(ada)}))

    assert response.status_code == 201
    answer = response.json()
    assert answer == {
        "id": "T1-0001",
        "number": "MAN-01/T1-0001",
        "store": "MAN-01",
        "customer": reference(ada),
        "placed_at": "2026-11-20T10:30:00Z",
        "received_at": answer["received_at"],
        "currency": "GBP",
        "discount": "0.00",
        "total": "25.00",
        "lines": [
            {
                "product": product.pk,
                "title": "Enamel Camping Mug",
                "quantity": 2,
                "unit_price": "12.50",
            }
        ],
    }


def test_a_replayed_order_is_recorded_once_even_days_later(till, product, ada):
    order = sale(product, customer={"loyalty_card": "OMNI-1001"})
    first = till.post("orders/", order)

    replayed = till.post("orders/", order)

    assert (first.status_code, replayed.status_code) == (201, 200)
    assert replayed.json() == first.json()
    assert StoreOrder.objects.count() == 1
    assert Event.objects.filter(kind="order_placed").count() == 1
    assert Profile.objects.get(pk=ada).snapshot["orders"]["count"] == 1


def test_an_id_reused_for_another_order_is_a_conflict(till, product):
    till.post("orders/", sale(product))

    response = till.post("orders/", sale(product, quantity=3))

    assert response.status_code == 409
    assert response.json() == {
        "detail": "The order id T1-0001 was used already, for a different order."
    }
    assert StoreOrder.objects.get().total == Decimal("25.00")


def test_the_same_id_at_another_store_is_another_order(till, product):
    london = till_of(london_store())

    assert till.post("orders/", sale(product)).status_code == 201
    assert london.post("orders/", sale(product)).status_code == 201
    assert sorted(o.number for o in StoreOrder.objects.select_related("store")) == [
        "LON-01/T1-0001",
        "MAN-01/T1-0001",
    ]


@pytest.mark.parametrize(
    "change, detail",
    [
        ({"total": "24.00"}, "total: 24.00 is not the lines' 25.00 less the discount 0.00."),
        ({"lines": []}, "lines: This list may not be empty."),
        ({"id": "no spaces allowed"}, "id: This value does not match the required pattern."),
        (
            {"placed_at": "2999-01-01T00:00:00Z"},
            "placed_at: This is in the future: check the till's clock.",
        ),
        (
            {"customer": {"id": "12:forged"}},
            "customer: '12:forged' is not a customer reference from this API.",
        ),
        ({"customer": {"loyalty_card": "null"}}, None),
        (
            {"lines": [{"upc": "NOPE", "quantity": 1, "unit_price": "25.00"}]},
            "lines[0]: There is no product with the UPC NOPE.",
        ),
        (
            {"lines": [{"quantity": 1, "unit_price": "25.00"}]},
            "lines[0]: Give exactly one of product, upc, sku.",
        ),
        ({"lines": [{"product": 1, "quantity": 0, "unit_price": "25.00"}]}, None),
    ],
)
def test_a_bad_order_is_refused_and_changes_nothing(till, product, change, detail):
    response = till.post("orders/", {**sale(product), **change})

    assert response.status_code == 400
    assert response.json()["detail"] == detail or detail is None
    assert response.json()["detail"]
    assert not StoreOrder.objects.exists() and not Event.objects.exists()


def test_lines_name_their_product_by_id_upc_or_the_stores_sku(till, store, product):
    from tests.stores.factories import store_stock

    product.upc = "5012345678900"
    product.save()
    store_stock(product, store, 3)
    lines = [
        {"product": product.pk, "quantity": 1, "unit_price": "12.50"},
        {"upc": "5012345678900", "quantity": 1, "unit_price": "12.50"},
        {"sku": f"MAN-01-{product.pk}", "quantity": 1, "unit_price": "12.50"},
    ]

    response = till.post("orders/", {**sale(product), "lines": lines, "total": "37.50"})

    assert response.status_code == 201
    assert list(StoreOrderLine.objects.values_list("product_id", flat=True)) == [product.pk] * 3


def test_a_batch_answers_each_order(till, product):
    till.post("orders/", sale(product, "T1-0001"))
    batch = [
        sale(product, "T1-0002"),
        sale(product, "T1-0001"),  # sent before
        {**sale(product, "T1-0003"), "total": "1.00"},
        sale(product, "T1-0004", customer={"loyalty_card": "OMNI-7777"}),
        sale(product, "T1-0002"),  # twice in the batch
        sale(product, "T1-0001", quantity=5),  # the id of another order
        "not an order",
    ]

    response = till.post("orders/batch/", {"orders": batch})

    assert response.status_code == 200
    answer = response.json()
    assert (answer["accepted"], answer["duplicates"], answer["rejected"]) == (2, 2, 3)
    assert [(r["id"], r["status"]) for r in answer["results"]] == [
        ("T1-0002", "accepted"),
        ("T1-0001", "duplicate"),
        ("T1-0003", "rejected"),
        ("T1-0004", "accepted"),
        ("T1-0002", "duplicate"),
        ("T1-0001", "rejected"),
        (None, "rejected"),
    ]
    assert (
        answer["results"][2]["reason"]
        == "total: 1.00 is not the lines' 25.00 less the discount 0.00."
    )
    assert (
        answer["results"][5]["reason"]
        == "The order id T1-0001 was used already, for a different order."
    )
    assert sorted(StoreOrder.objects.values_list("client_id", flat=True)) == [
        "T1-0001",
        "T1-0002",
        "T1-0004",
    ]
    # A card the shop had not seen is a customer of its own from now on.
    card_holder = Identifier.objects.get(kind="loyalty", value="OMNI-7777").profile_id
    assert StoreOrder.objects.get(client_id="T1-0004").profile_id == card_holder


def test_a_batch_too_large_is_refused_whole(till, product, settings):
    settings.OMNI_POS_BATCH_SIZE = 2

    response = till.post("orders/batch/", {"orders": [sale(product, f"T{n}") for n in range(3)]})

    assert response.status_code == 400
    assert (
        response.json()["detail"]
        == "orders: A batch holds at most 2 orders; send these in several."
    )
    assert not StoreOrder.objects.exists()


def test_in_store_orders_feed_the_profile_like_online_orders(till, product, category, ada):
    make_segment("Store shopper", ("in_store", {"times": 1}))
    placed = timezone.now() - timedelta(days=1)
    order = sale(product, customer={"loyalty_card": "OMNI-1001"}, placed_at=placed.isoformat())

    till.post("orders/", order)

    event = Event.objects.get(profile_id=ada)
    assert (event.kind, event.channel, event.order_number, event.value) == (
        "order_placed",
        "store",
        "MAN-01/T1-0001",
        Decimal("25.00"),
    )
    assert event.data["lines"] == [
        {"product_id": product.pk, "quantity": 2, "price": "25.00", "category_ids": [category.pk]}
    ]
    snapshot = Profile.objects.get(pk=ada).snapshot
    assert snapshot["orders"]["count"] == 1 and snapshot["orders"]["store_count"] == 1
    assert snapshots.rfm(snapshot)["bucket"] == "521"
    assert list(snapshots.decayed_affinities(snapshot)) == [category.pk]
    assert [m.name for m in segments_for_profile(snapshot)] == ["Store shopper"]
    interactions = read_interactions()  # what the recommendation model learns from
    purchase = KIND_WEIGHTS["order_placed"]
    assert list(zip(interactions.users, interactions.items, interactions.weights)) == [
        (ada, product.pk, purchase)
    ]


def test_an_order_without_a_customer_feeds_no_profile(till, product):
    assert till.post("orders/", sale(product)).status_code == 201

    assert StoreOrder.objects.get().profile_id is None
    assert not Event.objects.exists()


def test_an_erased_customers_orders_stay_as_nobodys(till, product, ada):
    till.post("orders/", sale(product, customer={"id": reference(ada)}))
    customer = reference(ada)

    erase_profile(ada)
    later = till.post("orders/", sale(product, "T1-0002", customer={"id": customer}))

    assert later.status_code == 201
    assert later.json()["customer"] is None
    assert list(StoreOrder.objects.values_list("profile_id", flat=True)) == [None, None]
