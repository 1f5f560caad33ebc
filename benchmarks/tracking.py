"""What tracking costs a product page, and how fast events go in through the Python API.

    .venv/bin/python benchmarks/tracking.py [--views 400] [--events 20000]

Uses the sandbox's settings on a throwaway test database (DATABASE_URL picks PostgreSQL;
SQLite by default, in a file). Every figure is printed next to a baseline measured in the
same run: the same product page with OMNI_ENABLED = False, and a plain bulk_create of the
same events without their profiles' snapshots.
"""

import argparse
import statistics
import time

# isort: off
from harness import BROWSER, throwaway_database
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

# isort: on


def make_product():
    from oscar.test.factories import CategoryFactory, create_product

    product = create_product(title="Enamel Camping Mug", price="12.50", num_in_stock=10)
    product.categories.add(CategoryFactory(name="Mugs"))
    return product


def timed_view(client, url):
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    return elapsed


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def queries_of_view(client, url):
    """(data queries, transaction-control statements) of one view."""
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    control = sum(q["sql"].startswith(TRANSACTION_CONTROL) for q in captured.captured_queries)
    return len(captured) - control, control


def product_page(views):
    product = make_product()
    url = product.get_absolute_url()
    visitor = Client(HTTP_USER_AGENT=BROWSER)
    anonymous = Client(HTTP_USER_AGENT=BROWSER)
    visitor.get(url)  # the visitor's profile exists, as for anyone who came back
    for _ in range(20):
        visitor.get(url)
        with override_settings(OMNI_ENABLED=False):
            anonymous.get(url)

    on, off = [], []
    for _ in range(views):  # interleaved, so that machine noise hits both alike
        on.append(timed_view(visitor, url))
        with override_settings(OMNI_ENABLED=False):
            off.append(timed_view(anonymous, url))
    queries_on = queries_of_view(visitor, url)
    with override_settings(OMNI_ENABLED=False):
        queries_off = queries_of_view(anonymous, url)

    p50_on, p50_off = statistics.median(on) * 1000, statistics.median(off) * 1000
    print(
        f"product page, p50 over {views} views: tracking off {p50_off:.2f} ms, "
        f"on {p50_on:.2f} ms -> {p50_on - p50_off:+.2f} ms per view ({p50_on / p50_off:.2f}x)"
    )
    (data_on, control_on), (data_off, control_off) = queries_on, queries_off
    print(
        f"queries per product page: tracking off {data_off}, on {data_on} "
        f"-> {data_on - data_off:+d} (and {control_on - control_off:+d} BEGIN/COMMIT: "
        "tracking writes in one transaction)"
    )


def bulk_ingest(total_events, profiles=500):
    from omni_plugin.core.events import ingest, new_event
    from omni_plugin.core.models import Event, Profile

    profile_ids = [Profile.objects.create().pk for _ in range(profiles)]

    def batch():
        return {
            pid: [
                new_event("product_viewed", product=None, categories=[i % 7], data={"n": i})
                for i in range(total_events // profiles)
            ]
            for pid in profile_ids
        }

    events = batch()
    started = time.perf_counter()
    Event.objects.bulk_create(
        [e.to_model(pid) for pid, pending in events.items() for e in pending], batch_size=1000
    )
    raw = total_events / (time.perf_counter() - started)

    events = batch()
    started = time.perf_counter()
    written = ingest(events)
    through_api = written / (time.perf_counter() - started)
    print(
        f"bulk ingest of {written} events for {profiles} profiles: {through_api:,.0f} events/s "
        f"through ingest() with snapshots, vs {raw:,.0f} events/s raw bulk_create "
        f"({through_api / raw:.2f}x)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--views", type=int, default=400)
    parser.add_argument("--events", type=int, default=20000)
    arguments = parser.parse_args()

    with throwaway_database():
        product_page(arguments.views)
        bulk_ingest(arguments.events)


if __name__ == "__main__":
    main()
