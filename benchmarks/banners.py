"""What banner slots cost a page: a content page with 3 slots against the same page without.

    .venv/bin/python benchmarks/banners.py [--requests 300]

Uses the sandbox's settings on a throwaway test database (DATABASE_URL picks PostgreSQL,
REDIS_URL a Redis cache). Fifty segments are active. Each slot holds banners of three
variants targeted by segment, country and device; the page is measured with slots of
1 banner and of 10 banners, interleaved with the page without slots, in the same run.
Printed: the p50 time each page takes, the time the slots add, and the queries of each.
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

SLOTS = 3
SEGMENTS = 50


def make_segments(category):
    from tests.personalization.segment_factories import make_segment

    return [
        make_segment(
            f"Segment {n}",
            ("affinity", {"category": category.pk, "threshold": 1.0 + n}),
            ("device", {"devices": ["mobile"] if n % 2 else ["desktop"]}),
            match="any",
        )
        for n in range(SEGMENTS)
    ]


def make_slots(segments, banners_per_slot):
    from tests.banners.factories import make_banner, make_slot, variant

    slots = []
    for number in range(SLOTS):
        banners = [
            make_banner(
                f"Slot {number} banner {n}",
                variant("Segment", targeting={"include_segments": [segments[n % SEGMENTS]]}),
                variant("Country", targeting={"countries": "FR, DE"}),
                variant("Phones", targeting={"devices": ["mobile"]}),
                variant("Everyone", fallback=True)
                if n == banners_per_slot - 1
                else variant("Tablets", targeting={"devices": ["tablet"]}),
            )
            for n in range(banners_per_slot)
        ]
        slots.append(make_slot(f"bench-{banners_per_slot}-{number}", *banners))
    return slots


def make_page(title, slots):
    from wagtail.models import Site

    from sandbox.cms.models import ContentPage

    body = [("paragraph", "<p>A page of the shop, with its text and its slots.</p>")]
    body += [("banner", {"banner": None, "slot": slot}) for slot in slots]
    root = Site.objects.get(is_default_site=True).root_page
    page = ContentPage(title=title, slug=title.lower().replace(" ", "-"), body=body)
    root.add_child(instance=page)
    return page.url


def timed(client, url):
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    return elapsed


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    arguments = parser.parse_args()

    with throwaway_database():
        from oscar.test.factories import CategoryFactory

        segments = make_segments(CategoryFactory(name="Mugs"))
        urls = {
            "no slots": make_page("No slots", []),
            "3 slots of 1 banner": make_page("One banner", make_slots(segments, 1)),
            "3 slots of 10 banners": make_page("Ten banners", make_slots(segments, 10)),
        }
        visitor = Client(HTTP_USER_AGENT=BROWSER)
        for url in urls.values():
            for _ in range(20):  # warm: compiled segments and banners, the visitor's profile
                visitor.get(url)
        times = {name: [] for name in urls}
        for _ in range(arguments.requests):  # interleaved, so that machine noise hits all alike
            for name, url in urls.items():
                times[name].append(timed(visitor, url))
        p50 = {name: statistics.median(values) * 1000 for name, values in times.items()}
        counts = {name: queries(visitor, url) for name, url in urls.items()}
        base = p50["no slots"]
        for name in urls:
            print(
                f"{name}: p50 {p50[name]:.2f} ms ({p50[name] - base:+.2f} ms, "
                f"{p50[name] / base:.2f}x), {counts[name]} queries "
                f"({counts[name] - counts['no slots']:+d})"
            )


if __name__ == "__main__":
    main()
