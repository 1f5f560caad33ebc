"""A small till for the Oscar Omni POS API, with Python's standard library only.

    export OMNI_POS_URL=https://shop.example.com/omni/pos/v1/ OMNI_POS_KEY=pos_1a2b3c4d.Xq0...

    python pos_client.py lookup --card OMNI-1001        # who is at the till
    python pos_client.py sell --sku MAN-01-7 --price 12.50 --quantity 2 --card OMNI-1001
    python pos_client.py sync                           # send the sales queued offline
    python pos_client.py stock --sku MAN-01-7 --level 8
    python pos_client.py ready 100001                   # a click and collect order is ready

A sale is first written to the till's queue (a JSON file), then sent; when the shop cannot
be reached it stays there, and `sync` sends the whole queue later as one batch. Each sale
has the till's own id, so sending it twice records it once. See docs/pos.md.
"""

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

URL = os.environ.get("OMNI_POS_URL", "http://127.0.0.1:8000/omni/pos/v1/")
KEY = os.environ.get("OMNI_POS_KEY", "")
QUEUE = Path(os.environ.get("OMNI_POS_QUEUE", "pos-queue.json"))


class ApiError(Exception):
    """The API answered with an error: its status and its one-sentence detail."""

    def __init__(self, status, detail):
        super().__init__(f"{status}: {detail}")
        self.status = status


def call(method, path, body=None):
    """One call to the API; the answer's JSON, or ApiError."""
    request = urllib.request.Request(
        URL + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        raise ApiError(error.code, json.load(error).get("detail", error.reason)) from None


def lookup(card):
    customer = call("POST", "customers/lookup/", {"loyalty_card": card})
    print(f"{customer['name'] or 'A customer'} (reference {customer['id']})")
    print("  segments:", ", ".join(s["name"] for s in customer["segments"]) or "none")
    for pickup in customer["open_pickups"]:
        print(f"  click and collect order {pickup['order']}: {pickup['status']}")
    for offer in customer["recommendations"]:
        print(f"  offer {offer['title']} ({offer['sku']}): {offer['reason']}")


def sell(sku, price, quantity, card=None):
    """Queue the sale, then send the queue: the sale is recorded now or at the next sync."""
    unit_price = Decimal(price)
    sale = {
        "id": f"till-{uuid.uuid4()}",
        "placed_at": datetime.now(timezone.utc).isoformat(),
        "lines": [{"sku": sku, "quantity": quantity, "unit_price": str(unit_price)}],
        "total": str(unit_price * quantity),
    }
    if card:
        sale["customer"] = {"loyalty_card": card}
    save_queue([*load_queue(), sale])
    sync()


def sync():
    """Send the queued sales as one batch; keep only those the shop refused, to look at."""
    queue = load_queue()
    if not queue:
        return
    try:
        answer = call("POST", "orders/batch/", {"orders": queue})
    except (urllib.error.URLError, OSError):
        print(f"The shop cannot be reached: {len(queue)} sales wait in {QUEUE}.")
        return
    refused = [
        sale for sale, result in zip(queue, answer["results"]) if result["status"] == "rejected"
    ]
    for result in answer["results"]:
        if result["status"] == "rejected":
            print(f"Sale {result['id']} refused: {result['reason']}")
    save_queue(refused)
    print(f"{answer['accepted']} recorded, {answer['duplicates']} recorded before.")


def report_stock(sku, level):
    report = {"id": f"stock-{uuid.uuid4()}", "items": [{"sku": sku, "level": level}]}
    for change in call("POST", "stock/", report)["changes"]:
        print(f"{change['sku']}: {change['previous']} -> {change['level']}")


def mark_ready(order):
    pickup = call("POST", f"pickups/{order}/ready/")
    print(f"Order {pickup['order']} is {pickup['status']} until {pickup['expires_at']}.")


def load_queue():
    return json.loads(QUEUE.read_text()) if QUEUE.exists() else []


def save_queue(sales):
    QUEUE.write_text(json.dumps(sales, indent=1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("lookup").add_argument("--card", required=True)
    sale = commands.add_parser("sell")
    sale.add_argument("--sku", required=True)
    sale.add_argument("--price", required=True)
    sale.add_argument("--quantity", type=int, default=1)
    sale.add_argument("--card")
    commands.add_parser("sync")
    stock = commands.add_parser("stock")
    stock.add_argument("--sku", required=True)
    stock.add_argument("--level", type=int, required=True)
    commands.add_parser("ready").add_argument("order")
    arguments = parser.parse_args()
    try:
        if arguments.command == "lookup":
            lookup(arguments.card)
        elif arguments.command == "sell":
            sell(arguments.sku, arguments.price, arguments.quantity, arguments.card)
        elif arguments.command == "sync":
            sync()
        elif arguments.command == "stock":
            report_stock(arguments.sku, arguments.level)
        else:
            mark_ready(arguments.order)
    except ApiError as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main()
