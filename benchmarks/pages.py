"""What the plugin costs the shop's busiest pages: home, category, product and basket, with
the plugin on against the same shop with it switched off, in the same run.

    .venv/bin/python benchmarks/pages.py [--rounds 150]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python benchmarks/pages.py

Seeds the demo shop once in a database of its own (``demo_shop.py``): its banners, stores
with stock, recommendation strips, tracking and geo are all on. The plugin switched off is
``OMNI_ENABLED = False`` on the same pages, caches and database: the shop as it would be
without the plugin's work (its middleware then returns at once, its template tags render
nothing, and checkout offers no click & collect). Two visitors, one per side, each with one product in the basket, come
from a GeoIP-known address; their first pass warms what a shop keeps warm. Then round by
round, page by page, the two sides take turns (which goes first alternates), through
Django's test client in this process. Every request counts: p50 and p95 over all of them.

Goal per page: the plugin's p50 at most 10% above the shop's without it.
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_shop import demo_shop  # noqa: E402
from figures import ms, percentiles  # noqa: E402

GOAL = 1.10
#: A visitor's address that the demo's GeoIP database places (London).
VISITOR_ADDRESS = "81.2.69.160"
PRODUCTS = 20


def pages_of_the_shop():
    """(name, [paths]) of the pages measured; product pages rotate over several products."""
    from oscar.core.loading import get_model

    Category = get_model("catalogue", "Category")
    Product = get_model("catalogue", "Product")
    products = [
        product.get_absolute_url()
        for product in Product.objects.browsable().order_by("pk")[:PRODUCTS]
    ]
    categories = [category.get_absolute_url() for category in Category.objects.order_by("path")]
    return [
        ("home", ["/"]),
        ("category", categories),
        ("product", products),
        ("basket", ["/shop/basket/"]),
    ]


def visitor():
    from django.test import Client
    from harness import BROWSER
    from oscar.core.loading import get_model

    client = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=VISITOR_ADDRESS)
    product = get_model("catalogue", "Product").objects.browsable().order_by("pk").first()
    response = client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    assert response.status_code == 302, response.status_code
    return client


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=150)
    arguments = parser.parse_args()

    # Oscar's category page asks the demo's search engine for facets it does not have.
    warnings.filterwarnings("ignore", message="Whoosh does not handle query faceting")
    with demo_shop():
        from django.db import connection
        from django.test import override_settings
        from django.test.utils import CaptureQueriesContext

        sides = {"plugin": override_settings(), "without": override_settings(OMNI_ENABLED=False)}
        visitors = {side: visitor() for side in sides}
        pages = pages_of_the_shop()

        def get(side, path):
            with sides[side]:
                started = time.perf_counter()
                response = visitors[side].get(path)
                elapsed = time.perf_counter() - started
            assert response.status_code == 200, (path, response.status_code)
            return elapsed

        for _name, paths in pages:  # the visitors' first look at every page
            for path in paths:
                for side in sides:
                    get(side, path)
        times = {(name, side): [] for name, _ in pages for side in sides}
        for round_number in range(arguments.rounds):
            order = list(sides) if round_number % 2 == 0 else list(reversed(sides))
            for name, paths in pages:
                path = paths[round_number % len(paths)]
                for side in order:
                    times[name, side].append(get(side, path))
        queries = {}
        for name, paths in pages:
            for side in sides:
                with CaptureQueriesContext(connection) as captured:
                    get(side, paths[0])
                queries[name, side] = len(captured)

        met_everywhere = True
        for name, _ in pages:
            plugin50, plugin95 = percentiles(times[name, "plugin"])
            without50, without95 = percentiles(times[name, "without"])
            ratio = plugin50 / without50
            met = ratio <= GOAL
            met_everywhere &= met
            print(
                f"{name} page ({arguments.rounds} requests each): with the plugin p50 "
                f"{ms(plugin50):.1f} ms, p95 {ms(plugin95):.1f} ms, "
                f"{queries[name, 'plugin']} queries; without it p50 {ms(without50):.1f} ms, "
                f"p95 {ms(without95):.1f} ms, {queries[name, 'without']} queries -> p50 "
                f"{ratio:.2f}x, p95 {plugin95 / without95:.2f}x (goal: p50 <= "
                f"{GOAL:.2f}x: {'met' if met else 'missed'})"
            )
        print(f"all four pages within {GOAL:.2f}x: {'met' if met_everywhere else 'missed'}")


if __name__ == "__main__":
    main()
