"""Recording the tills' sales: once each, however often a till sends them.

A sale is known by its store and the till's own id for it (``client_id``), kept for good,
so a till that was offline can replay its queue days later. A replay of the same sale is
a duplicate; the same id on a different sale is refused. Sales with a customer become
``order_placed`` events on the customer's profile (channel ``store``), which the
snapshot, the segments and the recommendation model read as they read online orders.

A batch costs a few queries whatever its size: the orders, their lines and their events
are written in bulk, and the store's row is held meanwhile, so that two calls of one
store never record the same sale twice.
"""

import hashlib
import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from omni_plugin.core import profiles
from omni_plugin.core.catalogue import category_ids_of_many
from omni_plugin.core.events import ingest, new_event
from omni_plugin.core.identifiers import IdentifierRefused, normalise
from omni_plugin.core.models import Event, Identifier, Profile
from omni_plugin.pos.models import StoreOrder, StoreOrderLine, store_order_number
from omni_plugin.stores.models import Store

from .customers import IdentificationRefused, live_roots, profile_id_of_reference
from .products import reference_of, resolve_products, unknown_product_message

ACCEPTED, DUPLICATE, REJECTED = "accepted", "duplicate", "rejected"


@dataclass
class Outcome:
    """What became of one order: accepted, a duplicate of one recorded before, or rejected
    with a reason. ``conflict`` marks an id already used for a different order."""

    client_id: str
    status: str
    reason: str = ""
    conflict: bool = False


def record_orders(key, orders):
    """Record the validated ``orders`` of the key's store; an ``Outcome`` for each, in order."""
    store = key.store
    outcomes = [None] * len(orders)
    fingerprints = [fingerprint(order) for order in orders]
    pending = _first_of_each_id(orders, fingerprints, outcomes)
    lines_by_order = _resolve_lines(store, orders, pending, outcomes)
    with transaction.atomic():
        list(Store.objects.select_for_update().filter(pk=store.pk).values_list("pk"))
        recorded = dict(
            StoreOrder.objects.filter(
                store=store, client_id__in=[orders[i]["id"] for i in pending]
            ).values_list("client_id", "fingerprint")
        )
        for i in pending:
            if orders[i]["id"] in recorded:
                outcomes[i] = _repeat(orders[i]["id"], recorded[orders[i]["id"]] == fingerprints[i])
        accepted = [i for i in pending if outcomes[i] is None]
        customers = _customers(orders, accepted, outcomes)
        accepted = [i for i in accepted if outcomes[i] is None]
        _write(key, orders, accepted, fingerprints, lines_by_order, customers)
    profiles.forget(*set(customers.values()))
    for i in accepted:
        outcomes[i] = Outcome(orders[i]["id"], ACCEPTED)
    return outcomes


def fingerprint(order):
    """A hash of what the till sent for the order, to tell a replay from another order."""
    canonical = json.dumps(order, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _first_of_each_id(orders, fingerprints, outcomes):
    """The indexes of the first order of each id; the others are duplicates or conflicts."""
    first = {}
    for i, order in enumerate(orders):
        if order["id"] in first:
            outcomes[i] = _repeat(order["id"], fingerprints[first[order["id"]]] == fingerprints[i])
        else:
            first[order["id"]] = i
    return list(first.values())


def _repeat(client_id, same):
    if same:
        return Outcome(client_id, DUPLICATE)
    return Outcome(
        client_id,
        REJECTED,
        _("The order id %(id)s was used already, for a different order.") % {"id": client_id},
        conflict=True,
    )


def _resolve_lines(store, orders, pending, outcomes):
    """``{index: [(product id, title), ...]}``; an order naming an unknown product is rejected."""
    references = {reference_of(line) for i in pending for line in orders[i]["lines"]}
    products = resolve_products(store, references)
    resolved = {}
    for i in pending:
        lines = [reference_of(line) for line in orders[i]["lines"]]
        unknown = [(n, ref) for n, ref in enumerate(lines) if ref not in products]
        if unknown:
            n, (how, value) = unknown[0]
            reason = f"lines[{n}]: {unknown_product_message(how, value)}"
            outcomes[i] = Outcome(orders[i]["id"], REJECTED, reason)
        else:
            resolved[i] = [products[ref] for ref in lines]
    return resolved


def _customers(orders, indexes, outcomes):
    """``{index: profile id}`` of the orders with a customer still known to the shop.

    An unknown loyalty card gets a profile of its own; a reference the API never gave
    rejects its order. A customer erased since leaves the sale without a customer.
    """
    given, cards = {}, {}
    for i in indexes:
        customer = orders[i].get("customer")
        try:
            if not customer:
                continue
            if "id" in customer:
                given[i] = profile_id_of_reference(customer["id"])
            else:
                cards[i] = normalise(Identifier.Kind.LOYALTY, customer["loyalty_card"])
        except (IdentificationRefused, IdentifierRefused) as refused:
            outcomes[i] = Outcome(orders[i]["id"], REJECTED, f"customer: {refused}")
    holders = dict(
        Identifier.objects.filter(
            kind=Identifier.Kind.LOYALTY, value__in=cards.values()
        ).values_list("value", "profile_id")
    )
    for i, card in cards.items():
        if card not in holders:
            holders[card] = _card_holder(card)
        given[i] = holders[card]
    roots = live_roots(set(given.values()))
    return {i: roots[pid] for i, pid in given.items() if pid in roots}


def _card_holder(card):
    """A profile for a loyalty card the shop has not seen, or its holder since."""
    kind = Identifier.Kind.LOYALTY
    try:
        with transaction.atomic():
            profile_id = Profile.objects.create().pk
            Identifier.objects.create(profile_id=profile_id, kind=kind, value=card)
            return profile_id
    except IntegrityError:  # another call recorded the card meanwhile
        return Identifier.objects.get(kind=kind, value=card).profile_id


def _write(key, orders, indexes, fingerprints, lines_by_order, customers):
    store = key.store
    records = StoreOrder.objects.bulk_create(
        [
            StoreOrder(
                store_id=store.pk,
                client_id=orders[i]["id"],
                key_id=key.pk,
                profile_id=customers.get(i),
                placed_at=orders[i]["placed_at"],
                currency=orders[i]["currency"],
                discount=orders[i]["discount"],
                total=orders[i]["total"],
                fingerprint=fingerprints[i],
            )
            for i in indexes
        ]
    )
    StoreOrderLine.objects.bulk_create(
        [
            StoreOrderLine(
                order_id=record.pk,
                product_id=product_id,
                title=title[:255],
                quantity=line["quantity"],
                unit_price=line["unit_price"],
            )
            for i, record in zip(indexes, records)
            for line, (product_id, title) in zip(orders[i]["lines"], lines_by_order[i])
        ],
        batch_size=1000,
    )
    categories = category_ids_of_many(
        {
            product_id
            for i in customers
            if i in lines_by_order
            for product_id, _ in lines_by_order[i]
        }
    )
    events = {}
    for i in indexes:
        if i in customers:
            events.setdefault(customers[i], []).append(
                _order_event(store, orders[i], lines_by_order[i], categories)
            )
    ingest(events)


def _order_event(store, order, products, categories):
    lines = [
        {
            "product_id": product_id,
            "quantity": line["quantity"],
            "price": line["unit_price"] * line["quantity"],
            "category_ids": categories.get(product_id, []),
        }
        for line, (product_id, _title) in zip(order["lines"], products)
    ]
    return new_event(
        "order_placed",
        channel=Event.Channel.STORE,
        occurred_at=order["placed_at"],
        order_number=store_order_number(store.code, order["id"]),
        value=order["total"],
        data={"lines": lines, "currency": order["currency"], "store": store.code},
    )
