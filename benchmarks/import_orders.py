"""How fast order history goes in through ``omni_import_orders`` (the Python API).

    .venv/bin/python benchmarks/import_orders.py DATASET [--runs 5]

DATASET is a CSV with the Online Retail columns (gzipped or not), e.g. the shared sample
``online-retail-sample.csv.gz``. Uses the sandbox's settings on a throwaway test database
(DATABASE_URL picks PostgreSQL; SQLite by default, in a file), with an Oscar product (a
stock record whose partner SKU is the code, a category of twenty) for each StockCode of
the file. Each run imports the whole file into empty profile tables: reading and checking
it, creating and identifying the profiles, and writing the orders through ``ingest()``
with their snapshots. The baseline, measured in the same run: the same order events
written by a plain ``Event.objects.bulk_create``, without profiles, identification or
snapshots. Then the file is imported once more, which must change nothing.
"""

import argparse
import csv
import statistics
import time

# isort: off
from harness import throwaway_database

# isort: on

GOAL = 5000  # order lines per second
CATEGORIES = 20


def stock_codes(path):
    from omni_plugin.core.order_import import _open_text

    with _open_text(path) as text:
        return sorted({row["StockCode"].strip() for row in csv.DictReader(text)})


def make_products(codes):
    from oscar.core.loading import get_model
    from oscar.test.factories import CategoryFactory

    Partner = get_model("partner", "Partner")
    Product = get_model("catalogue", "Product")
    ProductCategory = get_model("catalogue", "ProductCategory")
    ProductClass = get_model("catalogue", "ProductClass")
    StockRecord = get_model("partner", "StockRecord")

    product_class = ProductClass.objects.create(name="Gifts", track_stock=True)
    partner = Partner.objects.create(name="Gift shop")
    categories = [CategoryFactory(name=f"Category {n}") for n in range(CATEGORIES)]
    products = Product.objects.bulk_create(
        [
            Product(
                title=f"Product {code}",
                slug=f"product-{n}",
                structure=Product.STANDALONE,
                product_class=product_class,
            )
            for n, code in enumerate(codes)
        ],
        batch_size=1000,
    )
    StockRecord.objects.bulk_create(
        [
            StockRecord(
                partner=partner,
                product=product,
                partner_sku=code,
                price_currency="GBP",
                price="1.00",
                num_in_stock=100,
            )
            for code, product in zip(codes, products, strict=True)
        ],
        batch_size=1000,
    )
    ProductCategory.objects.bulk_create(
        [
            ProductCategory(product=product, category=categories[n % CATEGORIES])
            for n, product in enumerate(products)
        ],
        batch_size=1000,
    )


def empty_profiles():
    from omni_plugin.core.models import Event, Identifier, Profile

    Event.objects.all().delete()
    Identifier.objects.all().delete()
    Profile.objects.all().delete()


def timed_import(path):
    from omni_plugin.core.order_import import import_orders

    started = time.perf_counter()
    summary = import_orders(path)
    return summary, time.perf_counter() - started


def timed_baseline():
    """The seconds a plain bulk_create of the imported events takes, without profiles."""
    from django.db import transaction

    from omni_plugin.core.models import Event

    fields = ("kind", "channel", "occurred_at", "order_number", "value", "data", "category_ids")
    rows = list(Event.objects.values(*fields))
    events = [Event(**row) for row in rows]
    started = time.perf_counter()
    with transaction.atomic():
        created = Event.objects.bulk_create(events, batch_size=1000)
    elapsed = time.perf_counter() - started
    Event.objects.filter(pk__in=[event.pk for event in created]).delete()
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", help="CSV (or .csv.gz) with the Online Retail columns")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()

    with throwaway_database():
        codes = stock_codes(arguments.dataset)
        make_products(codes)
        imported, baseline = [], []
        for _ in range(arguments.runs):
            empty_profiles()
            summary, seconds = timed_import(arguments.dataset)
            imported.append(summary.lines / seconds)
            baseline.append(summary.lines / timed_baseline())
        from omni_plugin.core.models import Event, Profile

        events, profiles = Event.objects.count(), Profile.objects.count()
        again, again_seconds = timed_import(arguments.dataset)
        assert (Event.objects.count(), Profile.objects.count()) == (events, profiles)

    skipped = ", ".join(f"{n:,} {reason}" for reason, n in sorted(summary.skipped.items()))
    print(
        f"{arguments.dataset}: {summary.lines_read:,} lines read, {summary.lines:,} order lines "
        f"in {summary.orders:,} orders of {summary.new_profiles:,} customers imported "
        f"({len(codes):,} products); skipped: {skipped}"
    )
    p50, base = statistics.median(imported), statistics.median(baseline)
    verdict = "met" if p50 >= GOAL else "missed"
    print(
        f"import, p50 over {arguments.runs} runs: {p50:,.0f} order lines/s "
        f"(min {min(imported):,.0f}, max {max(imported):,.0f}), vs {base:,.0f} lines/s "
        f"for a plain bulk_create of the same order events -> {p50 / base:.2f}x "
        f"(goal: at least {GOAL:,} lines/s: {verdict})"
    )
    print(
        f"importing the same file again: {again.already_imported_lines:,} lines left alone, "
        f"nothing written, in {again_seconds:.2f} s"
    )


if __name__ == "__main__":
    main()
