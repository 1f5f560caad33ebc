"""The POS API: customer lookups under concurrent tills, and in-store orders per second
through the batch endpoint.

    .venv/bin/python benchmarks/pos.py [--clients 20] [--lookups 1000] [--orders 20000]

Uses the sandbox's settings on a throwaway test database (DATABASE_URL picks PostgreSQL;
SQLite by default, in a file), seeded with a store, products and customers with loyalty
cards and past orders. Every figure is printed next to a baseline measured in the same
run:

- lookups: the sandbox under gunicorn (2 workers, 8 threads each), ``--clients`` tills at
  once, each with its own key; the latency of ``POST customers/lookup/`` (by loyalty card)
  against ``GET /`` (the key's own details: authentication, rate and call log alone),
  the two interleaved so that machine noise hits both alike;
- orders: ``POST orders/batch/`` in batches of ``--batch``, against the same orders sent
  one by one to ``POST orders/`` and against a bare ``bulk_create`` of their events.
"""

import argparse
import json
import os
import random
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import requests

# isort: off
from harness import ROOT, throwaway_database
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from tests.edge.servers import free_port, gunicorn_path, stop_process_group, wait_for

# isort: on

API = "/omni/pos/v1/"
PRODUCTS = 200
CUSTOMERS = 2000
LINES = 3


def seed():
    """A store with every product in stock, and customers with a card and three orders."""
    from oscar.test.factories import CategoryFactory, create_product

    from omni_plugin.core.events import ingest, new_event
    from omni_plugin.core.models import Identifier, Profile
    from tests.pos.factories import manchester_store
    from tests.stores.factories import store_stock

    store = manchester_store(pickup_enabled=True)
    categories = [CategoryFactory(name=f"Category {n}") for n in range(10)]
    products = []
    for n in range(PRODUCTS):
        product = create_product(title=f"Product {n}", price="12.50", num_in_stock=100)
        product.categories.add(categories[n % len(categories)])
        store_stock(product, store, 50)
        products.append(product.pk)
    profiles = Profile.objects.bulk_create([Profile() for _ in range(CUSTOMERS)])
    Identifier.objects.bulk_create(
        Identifier(profile=profile, kind="loyalty", value=card(n))
        for n, profile in enumerate(profiles)
    )
    rng = random.Random(7)
    past = timezone.now() - timedelta(days=30)
    ingest(
        {
            profile.pk: [
                new_event(
                    "order_placed",
                    occurred_at=past,
                    value=Decimal("25.00"),
                    data={"lines": [{"product_id": rng.choice(products), "quantity": 1}]},
                )
                for _ in range(3)
            ]
            for profile in profiles
        }
    )
    return store, products


def card(n):
    return f"OMNI-{n:06d}"


def orders(products, count, prefix, seed_value):
    """``count`` sales of three lines each, seven in ten by a customer with a card."""
    rng = random.Random(seed_value)
    placed = (timezone.now() - timedelta(days=2)).isoformat()
    made = []
    for n in range(count):
        lines = [
            {"product": pk, "quantity": rng.randint(1, 3), "unit_price": "12.50"}
            for pk in rng.sample(products, LINES)
        ]
        total = sum(Decimal(line["unit_price"]) * line["quantity"] for line in lines)
        order = {"id": f"{prefix}-{n}", "placed_at": placed, "lines": lines, "total": str(total)}
        if rng.random() < 0.7:
            order["customer"] = {"loyalty_card": card(rng.randrange(CUSTOMERS))}
        made.append(order)
    return made


def keys(store, count):
    from omni_plugin.pos.keys import issue_key
    from omni_plugin.pos.models import PosApiKey

    return [issue_key(store, scopes=PosApiKey.Scope.values)[1] for _ in range(count)]


def database_url():
    """The URL of the throwaway database, for the server processes."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + settings["NAME"]


def serve():
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="omni-pos-bench-", suffix=".log", delete=False)
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "sandbox.settings",
        "DEBUG": "0",
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        [gunicorn_path(), "sandbox.wsgi:application", "-b", f"127.0.0.1:{port}"]
        + ["-w", "2", "--threads", "8", "--worker-class", "gthread"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(base + API + "schema/", 60, process, log.name)
    return process, base


def lookups(store, clients, count):
    till_keys = keys(store, clients)
    process, base = serve()
    local = threading.local()
    try:

        def session(key):
            if getattr(local, "session", None) is None:
                local.session = requests.Session()
                local.session.headers["Authorization"] = f"Bearer {key}"
            return local.session

        def timed(n):
            calls = session(till_keys[n % clients])
            if n % 2:
                body = {"loyalty_card": card(random.randrange(CUSTOMERS))}
                started = time.perf_counter()
                response = calls.post(base + API + "customers/lookup/", json=body)
            else:
                started = time.perf_counter()
                response = calls.get(base + API)
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, (response.status_code, response.text[:300])
            return n % 2, elapsed

        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(timed, range(clients * 4)))  # warm both workers up
            results = list(pool.map(timed, range(count * 2)))
    finally:
        stop_process_group(process)
    lookup = sorted(elapsed for is_lookup, elapsed in results if is_lookup)
    baseline = sorted(elapsed for is_lookup, elapsed in results if not is_lookup)
    for name, index in (("p50", 50), ("p95", 95)):
        ours, base_figure = percentile(lookup, index), percentile(baseline, index)
        print(
            f"customer lookup, {name} under {clients} concurrent tills: {ours:.1f} ms, "
            f"vs {base_figure:.1f} ms for the key's own details ({ours / base_figure:.2f}x)"
        )


def percentile(sorted_seconds, p):
    return sorted_seconds[min(len(sorted_seconds) - 1, len(sorted_seconds) * p // 100)] * 1000


@override_settings(OMNI_POS_THROTTLE_RATE="1000000/min")  # one till sends them all here
def batches(store, products, count, batch):
    from omni_plugin.core.events import new_event
    from omni_plugin.core.models import Event

    till = Client(headers={"Authorization": f"Bearer {keys(store, 1)[0]}"})

    def post(path, body):
        response = till.post(API + path, json.dumps(body), content_type="application/json")
        assert response.status_code in (200, 201), response.content[:300]
        return response

    one_by_one = orders(products, min(count // 10, 1000), "single", 1)
    started = time.perf_counter()
    for order in one_by_one:
        post("orders/", order)
    single_rate = len(one_by_one) / (time.perf_counter() - started)

    batched = orders(products, count, "batch", 2)
    started = time.perf_counter()
    for offset in range(0, count, batch):
        answer = post("orders/batch/", {"orders": batched[offset : offset + batch]}).json()
        assert answer["accepted"] == len(batched[offset : offset + batch]), answer["results"][:3]
    batch_rate = count / (time.perf_counter() - started)

    events = [
        new_event("order_placed", value=Decimal("25.00"), data={"lines": order["lines"]})
        for order in orders(products, count, "raw", 3)
    ]
    started = time.perf_counter()
    Event.objects.bulk_create([event.to_model(None) for event in events], batch_size=1000)
    raw_rate = count / (time.perf_counter() - started)

    print(
        f"in-store orders through POST orders/batch/ ({batch} a call, {LINES} lines each): "
        f"{batch_rate:,.0f} orders/s, vs {single_rate:,.0f} orders/s one by one "
        f"({batch_rate / single_rate:.1f}x) and {raw_rate:,.0f} events/s bare bulk_create "
        f"({batch_rate / raw_rate:.2f}x)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--lookups", type=int, default=1000)
    parser.add_argument("--orders", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=500)
    arguments = parser.parse_args()

    with throwaway_database():
        store, products = seed()
        connection.close()  # the servers' processes must see the seed committed
        lookups(store, arguments.clients, arguments.lookups)
        batches(store, products, arguments.orders, arguments.batch)


if __name__ == "__main__":
    main()
