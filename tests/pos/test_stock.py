"""Stock reports from a till: levels counted or changes, applied to the store's own stock
records, each saved so that back-in-stock alerts hear of it; a bad report changes nothing."""

import pytest
from django.db.models.signals import post_save
from oscar.core.loading import get_model

from tests.pos.factories import london_store
from tests.stores.factories import store_stock

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def saved_records():
    """The stock records saved, as post_save receivers (back-in-stock alerts) hear them."""
    saved = []

    def hear(sender, instance, **kwargs):
        saved.append((instance.partner.name, instance.product_id, instance.num_in_stock))

    post_save.connect(hear, sender=StockRecord, weak=False)
    yield saved
    post_save.disconnect(hear, sender=StockRecord)


def test_levels_and_changes_update_the_stores_stock_records(till, store, product, saved_records):
    record = store_stock(product, store, 5, num_allocated=1)
    saved_records.clear()

    counted = till.post("stock/", {"items": [{"sku": record.partner_sku, "level": 8}]})
    sold = till.post("stock/", {"items": [{"product": product.pk, "delta": -3}]})

    assert counted.status_code == sold.status_code == 200
    assert counted.json() == {
        "duplicate": False,
        "changes": [{"product": product.pk, "sku": record.partner_sku, "previous": 5, "level": 8}],
    }
    assert sold.json()["changes"][0]["level"] == 5
    record.refresh_from_db()
    assert (record.num_in_stock, record.num_allocated) == (5, 1)
    assert saved_records == [
        ("Oscar Omni Manchester", product.pk, 8),
        ("Oscar Omni Manchester", product.pk, 5),
    ]


def test_the_warehouse_and_other_stores_are_untouched(till, store, product):
    london = store_stock(product, london_store(), 4)

    till.post("stock/", {"items": [{"product": product.pk, "level": 2}]})

    london.refresh_from_db()
    assert london.num_in_stock == 4
    assert product.stockrecords.exclude(partner__store__isnull=False).get().num_in_stock == 10


def test_a_product_new_to_the_store_gets_a_stock_record(till, store, product, saved_records):
    response = till.post("stock/", {"items": [{"product": product.pk, "level": 6}]})

    assert response.json()["changes"] == [
        {"product": product.pk, "sku": f"MAN-01-{product.pk}", "previous": 0, "level": 6}
    ]
    record = StockRecord.objects.get(partner=store.partner)
    assert (record.product_id, record.num_in_stock, record.price) == (product.pk, 6, None)
    assert saved_records == [("Oscar Omni Manchester", product.pk, 6)]


@pytest.mark.parametrize(
    "items, detail",
    [
        (
            [{"product": "P", "delta": -9}],
            "items[1]: MAN-01-P has 7 in stock; taking 9 leaves less than none.",
        ),
        ([{"upc": "NOPE", "level": 1}], "items[1]: There is no product with the UPC NOPE."),
        ([{"product": "P", "level": 1, "delta": 1}], "items[1]: Give exactly one of level, delta."),
        ([{"product": "P", "level": -1}], None),
    ],
)
def test_a_bad_report_is_refused_whole_and_changes_nothing(
    till, store, product, saved_records, items, detail
):
    record = store_stock(product, store, 5)
    record.partner_sku = "MAN-01-P"
    record.save()
    saved_records.clear()
    items = [
        {**item, "product": product.pk} if item.get("product") == "P" else item for item in items
    ]

    response = till.post("stock/", {"items": [{"product": product.pk, "level": 7}, *items]})

    assert response.status_code == 400
    assert response.json()["detail"] == detail or detail is None
    record.refresh_from_db()
    assert record.num_in_stock == 5
    assert saved_records == []


def test_a_report_with_an_id_is_applied_once(till, store, product):
    record = store_stock(product, store, 5)
    report = {"id": "T1-stock-17", "items": [{"product": product.pk, "delta": -2}]}

    first = till.post("stock/", report)
    replayed = till.post("stock/", report)

    assert first.json()["duplicate"] is False
    assert replayed.json() == {"duplicate": True, "changes": []}
    record.refresh_from_db()
    assert record.num_in_stock == 3
