"""100 visitors at once browsing, adding to the basket and checking out, for 60 s: the shop
with the plugin against the same shop with the plugin switched off.

    .venv/bin/pip install -e ".[bench]"   # locust
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python benchmarks/load.py [--visitors 100] [--seconds 60] [--workers 2]

Seeds the demo shop once (``omni_demo``) and serves a copy of it twice with gunicorn
(``--workers`` processes of 4 threads): with the plugin, then with ``OMNI_ENABLED=0``.
Each time, locust runs ``--visitors`` visitors (the ``Visitor`` below) for ``--seconds``:
each views the home page, the catalogue and two product pages, adds one to the basket
and checks out as a guest, pausing 1 to 3 s between pages as people do, then starts
again with a new basket. Printed per step and in all: requests, errors, requests per
second, and the 50th and 99th percentiles of the response time; then the plugin's ratios
to the baseline. DATABASE_URL and REDIS_URL work as for the tests (SQLite and a cache in
files without them); tasks run in-process, as the request path enqueues little.
"""

import os
import random
import re
import sys
from pathlib import Path

from locust import HttpUser, between, task

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import ADDRESS  # noqa: E402  (the address the tests check out with)
from tests.edge.servers import Origin, ShopData  # noqa: E402

#: Longer than a visitor pauses between pages, as a proxy in front of gunicorn keeps its
#: connections: gunicorn's 2 s would close some just as the visitor's next request leaves.
KEEP_ALIVE = 10
STEPS = ("home", "catalogue", "product", "add to basket", "checkout")
#: Up to 200 products in stock, given plenty so that the run never meets a sold-out one.
PRODUCTS_SCRIPT = """
import json
from oscar.core.loading import get_model
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
products = list(Product.objects.browsable().filter(stockrecords__num_in_stock__gt=0).distinct()[:200])
StockRecord.objects.filter(product__in=products).update(num_in_stock=1_000_000)
print(json.dumps([[p.pk, p.get_absolute_url()] for p in products]))
"""


class Visitor(HttpUser):
    """A visitor who looks around, buys one thing as a guest, and comes back for more."""

    wait_time = between(1, 3)

    def on_start(self):
        import json

        self.products = json.loads(os.environ["OMNI_LOAD_PRODUCTS"])

    @task
    def shop_and_buy(self):
        self.client.cookies.clear()  # a new visitor, a new basket
        self.page("/", "home")
        self.page("/shop/catalogue/", "catalogue")
        viewed = random.sample(self.products, 2)
        for _pk, url in viewed:
            self.page(url, "product")
        self.post(f"/shop/basket/add/{viewed[-1][0]}/", {"quantity": 1}, "add to basket")
        self.check_out()

    def page(self, path, name):
        self.client.get(path, name=name)
        self.wait()

    def post(self, path, data, name, expect=None):
        headers = {"X-CSRFToken": self.client.cookies.get("csrftoken", "")}
        with self.client.post(
            path, data, headers=headers, name=name, catch_response=True
        ) as response:
            if response.status_code != 200 or (expect and not re.search(expect, response.url)):
                response.failure(f"{response.status_code} at {response.url}")
        return response

    def check_out(self):
        email = f"guest-{random.getrandbits(48):x}@example.com"
        self.client.get("/shop/checkout/", name="checkout")
        self.post("/shop/checkout/", {"username": email, "options": "anonymous"}, "checkout")
        self.post("/shop/checkout/shipping-address/", ADDRESS, "checkout", expect="payment-details")
        self.post(
            "/shop/checkout/preview/", {"action": "place_order"}, "checkout", expect="thank-you"
        )
        self.wait()


def main():
    import argparse
    import csv
    import json
    import subprocess
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args()

    def run(origin, directory):
        prefix = Path(directory) / "locust"
        subprocess.run(
            [
                str(Path(sys.executable).with_name("locust")),
                *("-f", __file__),
                "--headless",
                "--only-summary",
                *("--users", str(arguments.visitors)),
                *("--spawn-rate", str(max(arguments.visitors // 10, 1))),
                *("--run-time", f"{arguments.seconds}s"),
                *("--host", origin.url),
                *("--csv", str(prefix)),
                "--exit-code-on-error=0",
            ],
            env={**os.environ, "OMNI_LOAD_PRODUCTS": products},
            check=True,
            capture_output=True,
        )
        with open(f"{prefix}_failures.csv") as failures:
            for row in csv.DictReader(failures):
                print(f"  {row['Occurrences']} errors at {row['Name']}: {row['Error']}")
        with open(f"{prefix}_stats.csv") as stats:
            return {row["Name"]: row for row in csv.DictReader(stats)}

    with tempfile.TemporaryDirectory(prefix="omni-load-") as directory:
        print("seeding the demo shop ...", flush=True)
        shop = ShopData(Path(directory) / "shop").create()
        try:
            products = shop.manage("shell", "-c", PRODUCTS_SCRIPT).strip().splitlines()[-1]
            print(f"{len(json.loads(products))} products in stock to buy", flush=True)
            results = {}
            for label, settings in (("plugin", {}), ("plugin off", {"OMNI_ENABLED": "0"})):
                print(f"{arguments.visitors} visitors for {arguments.seconds} s, {label} ...")
                with Origin(
                    settings, shop=shop, workers=arguments.workers, keep_alive=KEEP_ALIVE
                ) as origin:
                    results[label] = run(origin, directory)
        finally:
            shop.remove()
    report(results, arguments)


def report(results, arguments):
    print(
        f"\n{arguments.visitors} visitors, {arguments.seconds} s, gunicorn "
        f"{arguments.workers}x4 threads, {os.cpu_count()} cores"
    )
    print(
        f"{'':10} {'step':14} {'requests':>9} {'errors':>7} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7}"
    )
    for label, rows in results.items():
        for step in (*STEPS, "Aggregated"):
            row = rows.get(step)
            if row is None:  # a run too short for the visitors to reach this step
                continue
            print(
                f"{label:10} {step.lower():14} {row['Request Count']:>9} "
                f"{row['Failure Count']:>7} {float(row['Requests/s']):>7.1f} "
                f"{row['50%']:>7} {row['99%']:>7}"
            )
    plugin, baseline = results["plugin"]["Aggregated"], results["plugin off"]["Aggregated"]
    print(
        f"plugin / plugin off: requests per second "
        f"{float(plugin['Requests/s']) / float(baseline['Requests/s']):.2f}x, "
        f"p50 {float(plugin['50%']) / float(baseline['50%']):.2f}x, "
        f"p99 {float(plugin['99%']) / float(baseline['99%']):.2f}x"
    )


if __name__ == "__main__":
    main()
