"""Importing order history from CSV: profiles, identifiers and order events, all or nothing."""

import gzip
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from oscar.test.factories import CategoryFactory, create_product

from omni_plugin.core.events import LineWithoutProduct, ingest, new_event
from omni_plugin.core.models import Event, Identifier, Profile
from omni_plugin.core.order_import import ImportRefused, import_orders

pytestmark = pytest.mark.django_db

RETAIL_HEADER = (
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
)
GOOD = RETAIL_HEADER + (
    "536365,MUG-1,ENAMEL MUG,6,2010-12-01T08:26,3.39,17850,United Kingdom\n"
    '536365,CUP-2,"CUP, RED",2,2010-12-01T08:26,1.50,17850,United Kingdom\n'
    "536366,MUG-1,ENAMEL MUG,1,2010-12-02T09:00,3.39,13047,France\n"
    "C536367,MUG-1,ENAMEL MUG,-1,2010-12-03T10:00,3.39,17850,United Kingdom\n"
    "536368,CUP-2,CUP,3,2010-12-03T11:00,1.50,,United Kingdom\n"
    "536369,CUP-2,CUP,0,2010-12-03T12:00,1.50,13047,France\n"
)


@pytest.fixture
def catalogue(db):
    mugs = CategoryFactory(name="Mugs")
    mug = create_product(title="Enamel mug", partner_sku="MUG-1", upc="5000000000011")
    mug.categories.add(mugs)
    cup = create_product(title="Red cup", partner_sku="CUP-2", upc="5000000000028")
    return {"mug": mug, "cup": cup, "mugs": mugs}


def write(tmp_path, text, name="orders.csv", zipped=False):
    path = tmp_path / name
    if zipped:
        with gzip.open(path, "wt", encoding="utf-8") as file:
            file.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def state():
    return (
        sorted(Profile.objects.values_list("id", "version")),
        sorted(Identifier.objects.values_list("profile_id", "kind", "value")),
        sorted(Event.objects.values_list("id", "profile_id", "order_number")),
    )


def test_a_good_file_imports_profiles_identifiers_and_order_events(tmp_path, catalogue):
    summary = import_orders(write(tmp_path, GOOD, "orders.csv.gz", zipped=True))

    assert (summary.lines_read, summary.orders, summary.lines) == (6, 2, 3)
    assert summary.new_profiles == 2 and summary.known_profiles == 0
    assert summary.skipped == {
        "cancellations": 1,
        "without a customer": 1,
        "with no positive quantity": 1,
    }
    holder = Identifier.objects.get(kind="loyalty", value="17850").profile
    assert holder.snapshot["geo"] == {"country": "GB"}
    assert holder.snapshot["orders"]["count"] == 1
    assert str(catalogue["mug"].pk) in holder.snapshot["purchased"]
    event = Event.objects.get(order_number="import:536365")
    assert event.profile_id == holder.pk and event.kind == "order_placed"
    assert event.channel == "web" and event.value == Decimal("23.34")
    assert event.occurred_at.isoformat() == "2010-12-01T08:26:00+00:00"
    assert event.data["lines"] == [
        {
            "product_id": catalogue["mug"].pk,
            "quantity": 6,
            "price": "20.34",
            "category_ids": [catalogue["mugs"].pk],
        },
        {"product_id": catalogue["cup"].pk, "quantity": 2, "price": "3.00", "category_ids": []},
    ]
    assert Identifier.objects.get(kind="loyalty", value="13047").profile.snapshot["geo"] == {
        "country": "FR"
    }


def test_known_identifiers_are_reused(tmp_path, catalogue):
    known = Profile.objects.create()
    Identifier.objects.create(profile=known, kind="loyalty", value="17850")

    summary = import_orders(write(tmp_path, GOOD))

    assert (summary.new_profiles, summary.known_profiles) == (1, 1)
    assert Event.objects.get(order_number="import:536365").profile_id == known.pk
    assert Profile.objects.count() == 2


def test_importing_the_same_file_again_changes_nothing(tmp_path, catalogue):
    path = write(tmp_path, GOOD)
    import_orders(path)
    before = state()

    summary = import_orders(path)

    assert state() == before
    assert (summary.orders, summary.already_imported_orders, summary.already_imported_lines) == (
        0,
        2,
        3,
    )


def test_a_file_with_bad_lines_imports_nothing_and_says_where(tmp_path, catalogue):
    bad = GOOD + (
        "536370,NOPE-9,GHOST,1,2010-12-04T08:00,1.00,17850,United Kingdom\n"
        "536371,MUG-1,ENAMEL MUG,1,yesterday,1.00,17850,United Kingdom\n"
        "536372,MUG-1,ENAMEL MUG,two,2010-12-04T08:00,1.00,17850,United Kingdom\n"
        "536373,MUG-1,ENAMEL MUG,1,2010-12-04T08:00,cheap,17850,United Kingdom\n"
        "536374,MUG-1,ENAMEL MUG,1,2010-12-04T08:00,1.00,ab,United Kingdom\n"
    )
    before = state()

    with pytest.raises(ImportRefused) as refused:
        import_orders(write(tmp_path, bad))

    assert state() == before
    assert [number for number, _ in refused.value.errors] == [8, 9, 10, 11, 12]
    messages = dict(refused.value.errors)
    assert "no product has the partner SKU 'NOPE-9'" in messages[8]
    assert "the date 'yesterday'" in messages[9]
    assert "the quantity 'two'" in messages[10]
    assert "the price 'cheap'" in messages[11]
    assert messages[12].startswith("customer:")
    assert "line 8: no product has the partner SKU 'NOPE-9'" in str(refused.value)


def test_a_dry_run_writes_nothing(tmp_path, catalogue):
    before = state()

    summary = import_orders(write(tmp_path, GOOD), dry_run=True)

    assert state() == before
    assert (summary.orders, summary.lines, summary.new_profiles) == (2, 3, 2)


def test_the_generic_form_with_customer_kinds_and_upcs(tmp_path, catalogue):
    text = (
        "order,product,quantity,price,customer,customer_kind,country,occurred_at\n"
        "W-1,5000000000011,2,4.00,Ann@Example.com,email,DE,2024-03-01T10:00:00+01:00\n"
        "W-1,5000000000028,1,,Ann@Example.com,email,DE,2024-03-01T10:00:00+01:00\n"
        "W-2,5000000000028,1,2.50,card-77,,,2024-03-02T10:00:00\n"
        "W-3,5000000000028,1,2.50,null,pos,,2024-03-02T10:00:00\n"
    )

    summary = import_orders(
        write(tmp_path, text), product_key="upc", channel="store", source="legacy"
    )

    assert (summary.orders, summary.lines, summary.new_profiles) == (2, 3, 2)
    assert summary.skipped == {"without a customer": 1}
    ann = Identifier.objects.get(kind="email", value="ann@example.com").profile
    assert ann.snapshot["geo"] == {"country": "DE"}
    event = Event.objects.get(order_number="legacy:W-1")
    assert event.profile_id == ann.pk and event.channel == "store"
    assert event.value == Decimal("8.00")
    assert [line["price"] for line in event.data["lines"]] == ["8.00", None]
    card = Identifier.objects.get(kind="loyalty", value="CARD-77").profile
    assert card.snapshot.get("geo") is None
    assert Event.objects.get(order_number="legacy:W-2").profile_id == card.pk


def test_the_generic_form_needs_its_columns(tmp_path, catalogue):
    with pytest.raises(ImportRefused, match="the column\\(s\\) price, occurred_at are missing"):
        import_orders(write(tmp_path, "order,product,quantity,customer\n1,MUG-1,1,17850\n"))


def test_the_command_reports_what_it_did(tmp_path, catalogue):
    out, err = StringIO(), StringIO()
    call_command("omni_import_orders", str(write(tmp_path, GOOD)), stdout=out, stderr=err)

    assert out.getvalue().splitlines() == [
        "Imported 2 orders (3 lines) of 6 lines read: 2 new profiles, 0 known.",
        "Skipped lines: 1 cancellations, 1 with no positive quantity, 1 without a customer.",
    ]
    assert "Reading orders" in err.getvalue()  # the progress bar
    assert Event.objects.count() == 2


def test_the_command_lists_bad_lines_and_fails(tmp_path, catalogue):
    path = write(tmp_path, GOOD + "536370,NOPE-9,GHOST,1,2010-12-04T08:00,1.00,17850,UK\n")
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match="Nothing imported: 1 problem"):
        call_command(
            "omni_import_orders", str(path), "--dry-run", "-v", "0", stdout=out, stderr=err
        )

    assert f"{path}, line 8: no product has the partner SKU 'NOPE-9'" in err.getvalue()
    assert Event.objects.count() == 0


def test_ingest_refuses_an_order_line_without_a_product(catalogue):
    profile = Profile.objects.create()
    order = new_event(
        "order_placed",
        order_number="100042",
        data={"lines": [{"product_id": catalogue["mug"].pk}, {"product_id": None}]},
    )

    with pytest.raises(LineWithoutProduct, match=f"Line 1 .* 100042 of profile #{profile.pk}"):
        ingest({profile.pk: [order]})

    assert not Event.objects.exists()
