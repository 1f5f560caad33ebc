"""What segmenting a visitor costs a request: 50 segments of 3 rules against 1 segment.

    .venv/bin/python benchmarks/segments.py [--requests 300]

Uses the sandbox's settings on a throwaway test database (DATABASE_URL picks PostgreSQL,
REDIS_URL a Redis cache). One visitor with a history (views, a basket, orders) browses
the shop; for each request the visitor's segments are evaluated. Printed, each for 1 and
for 50 active segments measured in the same run: the time of segmenting alone, the
time of the whole request including it, and the number of queries of the request.
"""

import argparse
import statistics
import time

# isort: off
from harness import BROWSER, throwaway_database
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

# isort: on

SEGMENTS = 50


def rules_of(n, product, category):
    """Three rules of different kinds, with parameters no other segment shares."""
    return (
        [
            ("viewed", {"product": product.pk, "times": 2 + n, "days": 7 + n}),
            ("affinity", {"category": category.pk, "threshold": 1.0 + n}),
            ("location", {"countries": f"GB, X{n}", "cities": f"Town {n}"}),
        ]
        if n % 2
        else [
            ("recent_orders", {"min_orders": 1 + n % 3, "days": 30 + n}),
            ("local_time", {"from_hour": n % 24, "to_hour": 24}),
            ("device", {"devices": ["desktop", "mobile"] if n % 4 else ["tablet"]}),
        ]
    )


def make_segments(product, category):
    from tests.personalization.segment_factories import make_segment

    return [
        make_segment(
            f"Segment {n}", *rules_of(n, product, category), match="any" if n % 3 else "all"
        )
        for n in range(SEGMENTS)
    ]


def make_visitor(product):
    from conftest import add_to_basket

    visitor = Client(HTTP_USER_AGENT=BROWSER)
    for _ in range(5):
        visitor.get(product.get_absolute_url())
    add_to_basket(visitor, product)
    return visitor


def measure(visitor, url, requests):
    """(segmenting times, request times, queries per request) for the active segments."""
    from omni_plugin.personalization.segmenting import segments_for_request

    segmenting, whole = [], []
    for _ in range(requests):
        started = time.perf_counter()
        request = visitor.get(url).wsgi_request
        assert request.omni.profile  # loaded by the page in any case: not the segments' cost
        before = time.perf_counter()
        segments_for_request(request)
        finished = time.perf_counter()
        segmenting.append(finished - before)
        whole.append(finished - started)
    with CaptureQueriesContext(connection) as captured:
        request = visitor.get(url).wsgi_request
        assert request.omni.profile
        segments_for_request(request)
    return statistics.median(segmenting), statistics.median(whole), len(captured)


def activate(segments, count):
    from omni_plugin.personalization.models import Segment

    Segment.objects.update(active=False)
    Segment.objects.filter(pk__in=[s.pk for s in segments[:count]]).update(active=True)
    from omni_plugin.personalization.compiled import forget_compiled

    forget_compiled()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    arguments = parser.parse_args()

    with throwaway_database():
        from oscar.test.factories import CategoryFactory, create_product

        category = CategoryFactory(name="Mugs")
        product = create_product(title="Enamel Camping Mug", price="12.50", num_in_stock=50)
        product.categories.add(category)
        segments = make_segments(product, category)
        visitor = make_visitor(product)
        url = product.get_absolute_url()

        results = {}
        for _ in range(3):  # alternated, so that machine noise hits both alike
            for count in (1, SEGMENTS):
                activate(segments, count)
                visitor.get(url)  # compiles the active segments once
                results.setdefault(count, []).append(measure(visitor, url, arguments.requests))
        one, fifty = (
            [statistics.median(run[i] for run in results[n]) for i in range(3)]
            for n in (1, SEGMENTS)
        )
        print(
            f"segmenting a request, p50: 1 segment {one[0] * 1e6:.0f} µs, {SEGMENTS} segments "
            f"({SEGMENTS * 3} rules) {fifty[0] * 1e6:.0f} µs ({fifty[0] / one[0]:.1f}x for "
            f"{SEGMENTS}x the segments)"
        )
        print(
            f"whole product page with segmenting, p50: 1 segment {one[1] * 1e3:.2f} ms, "
            f"{SEGMENTS} segments {fifty[1] * 1e3:.2f} ms ({fifty[1] / one[1]:.2f}x)"
        )
        print(
            f"queries per request: 1 segment {one[2]:.0f}, {SEGMENTS} segments {fifty[2]:.0f} "
            f"({fifty[2] - one[2]:+.0f})"
        )


if __name__ == "__main__":
    main()
