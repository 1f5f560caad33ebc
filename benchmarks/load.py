"""Visitors at once browsing, adding to the basket and checking out: the shop with the
plugin against the same shop with the plugin switched off, just below saturation.

    .venv/bin/pip install -e ".[bench]"   # locust
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python benchmarks/load.py [--visitors 25] [--seconds 60] [--workers 2]

Seeds the demo shop once (``omni_demo``) and serves a copy of it with gunicorn
(``--workers`` processes of 4 threads), with the plugin and with ``OMNI_ENABLED=0``, in
four runs of ``--seconds`` taking turns (plugin, off, off, plugin), so that a machine
slowing down or warming up weighs on both sides alike. In each run locust drives
``--visitors`` visitors (the ``Visitor`` below): each views the home page, the catalogue
and two product pages, adds one to the basket and checks out as a guest, pausing 1 to 3 s
between pages as people do, then starts again with a new basket. The default, 25
visitors, is just below what two cores serve of this mix, where the plugin's own cost
shows; 100 saturate them, and both sides then only queue. Every request's time is kept,
so p50 and p99 per step are over all the requests of a side. Any error fails the run
(exit code 1). DATABASE_URL and REDIS_URL work as for the tests (SQLite and a cache in
files without them); tasks run in-process, as the request path enqueues little.
"""

import os
import random
import re
import sys
from pathlib import Path

from locust import HttpUser, between, events, task

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


@events.request.add_listener
def keep_time(request_type, name, response_time, exception, **kwargs):
    """Every request's time and whether it failed, one line each, for exact percentiles."""
    with open(os.environ["OMNI_LOAD_TIMES"], "a") as times:
        times.write(f"{name}\t{response_time:.3f}\t{int(exception is not None)}\n")


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
    import json
    import subprocess
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=25)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args()

    def run(origin, times):
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
                "--exit-code-on-error=0",
            ],
            env={**os.environ, "OMNI_LOAD_PRODUCTS": products, "OMNI_LOAD_TIMES": str(times)},
            check=True,
            capture_output=True,
        )

    sides = {"plugin": {}, "plugin off": {"OMNI_ENABLED": "0"}}
    with tempfile.TemporaryDirectory(prefix="omni-load-") as directory:
        print("seeding the demo shop ...", flush=True)
        shop = ShopData(Path(directory) / "shop").create()
        try:
            products = shop.manage("shell", "-c", PRODUCTS_SCRIPT).strip().splitlines()[-1]
            print(f"{len(json.loads(products))} products in stock to buy", flush=True)
            for label in ("plugin", "plugin off", "plugin off", "plugin"):
                print(f"{arguments.visitors} visitors for {arguments.seconds} s, {label} ...")
                with Origin(
                    sides[label], shop=shop, workers=arguments.workers, keep_alive=KEEP_ALIVE
                ) as origin:
                    run(origin, Path(directory) / f"{label}.tsv")
            results = {label: read_times(Path(directory) / f"{label}.tsv") for label in sides}
        finally:
            shop.remove()
    errors = report(results, arguments)
    if errors:
        print(f"failed: {errors} requests failed")
        sys.exit(1)


def read_times(path):
    """``{step: [(milliseconds, failed)]}`` of one side's runs."""
    times = {}
    for line in path.read_text().splitlines():
        name, milliseconds, failed = line.split("\t")
        times.setdefault(name, []).append((float(milliseconds), failed == "1"))
    return times


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(len(ordered) * share) - 1))]


def report(results, arguments):
    """Print the figures of each side and step; returns the number of failed requests."""
    print(
        f"\n{arguments.visitors} visitors, 2 runs of {arguments.seconds} s per side, gunicorn "
        f"{arguments.workers}x4 threads, {os.cpu_count()} cores"
    )
    print(f"{'step':14} {'side':10} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p99 ms':>8}")
    errors = 0
    summary = {}
    for step in (*STEPS, "all"):
        for label, times in results.items():
            rows = [row for name, rows in times.items() for row in rows if step in ("all", name)]
            if not rows:
                continue
            failed = sum(1 for _, bad in rows if bad)
            if step == "all":
                errors += failed
            p50 = percentile([ms for ms, _ in rows], 0.50)
            p99 = percentile([ms for ms, _ in rows], 0.99)
            summary[step, label] = (p50, p99, len(rows))
            print(f"{step:14} {label:10} {len(rows):>9} {failed:>7} {p50:>8.0f} {p99:>8.0f}")
        if (step, "plugin") in summary and (step, "plugin off") in summary:
            (p50, p99, _), (off50, off99, _) = summary[step, "plugin"], summary[step, "plugin off"]
            print(
                f"{step:14} {'ratio':10} {'':>9} {'':>7} {p50 / off50:>7.2f}x {p99 / off99:>7.2f}x"
            )
    plugin_requests = summary["all", "plugin"][2]
    off_requests = summary["all", "plugin off"][2]
    ratio = summary["all", "plugin"][0] / summary["all", "plugin off"][0]
    print(
        f"plugin / plugin off: requests {plugin_requests / off_requests:.2f}x, p50 "
        f"{ratio:.2f}x (goal: p50 <= 1.10x: {'met' if ratio <= 1.10 else 'missed'})"
    )
    return errors


if __name__ == "__main__":
    main()
