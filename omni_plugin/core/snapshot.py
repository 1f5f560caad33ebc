"""The profile snapshot: a JSON summary of a profile's events, folded one event at a time.

``apply`` keeps a snapshot current as events arrive; ``rebuild`` folds the whole history
again (after a merge or its undo). Both give the same result for the same events.

Keys: ``events``, ``first_seen``, ``last_seen``, ``recent_products`` (newest first),
``categories`` (decayed affinity per category id) with ``categories_at``, ``basket``
(``value``, ``lines``, ``products``, ``updated_at``), ``orders`` (``count``, ``total``,
``last_at``, ``store_count``), ``purchased`` (per product id: orders ``n`` and last ``at``),
``bought_categories`` (category id to last purchase), ``campaign`` (the last referrer or
UTM campaign a visit came from), ``push_subscriptions``, ``consents``, ``preferred_channel``
(how the customer asked to be reached) with ``preferred_channel_at``, ``bounced_emails``
(addresses, lower case, that mail bounced from), ``store`` (the code of the store the
customer chose, folded by the stores app) with ``store_at``, ``name`` (given when the
customer enrolled at a till); identifiers give ``user_id``,
``email`` and ``groups`` (the user's group names); ``geo`` and ``device`` come from the
request that writes the events (``OmniRequest.coarse_context``). Values that depend on the
time they are read (decayed affinities, RFM scores) are computed on reading, by
``decayed_affinities`` and ``rfm``.

Events the shop causes rather than the customer (the messages it sends, the bounces they
meet) count in ``events`` but move neither ``first_seen`` nor ``last_seen``: the customer's
last activity is what win-back journeys and segment rules wait on.
"""

import math
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from omni_plugin.conf import omni_settings

RECENT_PRODUCTS = 20
PURCHASED_PRODUCTS = 200
# How much one event says about a visitor's interest in the product's categories.
AFFINITY_WEIGHTS = {"product_viewed": 1.0, "basket_addition": 3.0, "order_placed": 5.0}
AFFINITY_FLOOR = 0.01

#: Events that are not the customer's doing, besides every ``message_*`` kind.
SHOP_EVENTS = frozenset({"email_bounced"})

#: Other apps' folds, ``fold(snapshot, event)``, run after the plugin's own on every event
#: (see ``register_fold``).
EXTRA_FOLDS = []


def register_fold(fold):
    """Have ``fold(snapshot, event)`` keep an app's own keys of the snapshot, in place."""
    if fold not in EXTRA_FOLDS:
        EXTRA_FOLDS.append(fold)


def apply(snapshot, event):
    """Fold one event (anything with the ``Event`` fields) into ``snapshot``, in place."""
    at = event.occurred_at
    snapshot["events"] = snapshot.get("events", 0) + 1
    if is_customer_activity(event.kind):
        snapshot["first_seen"] = min(_iso(at), snapshot.get("first_seen") or _iso(at))
        snapshot["last_seen"] = max(_iso(at), snapshot.get("last_seen") or _iso(at))
    if event.product_id and event.kind in ("product_viewed", "basket_addition"):
        _remember_product(snapshot, event.product_id)
    if event.kind == "order_placed":
        for line in event.data.get("lines", []):
            _add_affinity(
                snapshot, line.get("category_ids", []), AFFINITY_WEIGHTS["order_placed"], at
            )
    elif event.kind in AFFINITY_WEIGHTS:
        _add_affinity(snapshot, event.category_ids, AFFINITY_WEIGHTS[event.kind], at)
    handler = HANDLERS.get(event.kind)
    if handler:
        handler(snapshot, event)
    for fold in EXTRA_FOLDS:
        fold(snapshot, event)
    return snapshot


def is_customer_activity(kind):
    """Whether an event of ``kind`` is something the customer did."""
    return not kind.startswith("message_") and kind not in SHOP_EVENTS


def rebuild(events, *, identity=None):
    """A fresh snapshot from ``events`` in any order, keeping ``identity`` keys as given."""
    snapshot = dict(identity or {})
    for event in sorted(events, key=lambda e: (e.occurred_at, e.pk or 0)):
        apply(snapshot, event)
    return snapshot


def rfm(snapshot, now=None):
    """Recency, frequency and monetary scores (1 to 5) of the snapshot's orders."""
    orders = snapshot.get("orders")
    if not orders:
        return None
    now = now or timezone.now()
    days = (now - datetime.fromisoformat(orders["last_at"])).days
    recency = 5 - _score(days, omni_settings.RFM_RECENCY_DAYS) + 1
    frequency = _score(orders["count"], omni_settings.RFM_FREQUENCY)
    monetary = _score(float(orders["total"]), omni_settings.RFM_MONETARY)
    return {
        "r": recency,
        "f": frequency,
        "m": monetary,
        "bucket": f"{recency}{frequency}{monetary}",
    }


def decayed_affinities(snapshot, now=None):
    """Category affinities as of ``now``, strongest first."""
    categories = snapshot.get("categories") or {}
    if not categories:
        return {}
    factor = _decay(snapshot["categories_at"], now or timezone.now())
    scores = {int(cid): score * factor for cid, score in categories.items()}
    return dict(sorted(scores.items(), key=lambda item: -item[1]))


def last_seen(snapshot):
    """When the customer last did something: their newest event, not the time of writing."""
    newest = snapshot.get("last_seen")
    return datetime.fromisoformat(newest) if newest else timezone.now()


def _score(value, thresholds):
    """1 when ``value`` is below the first threshold, up to 5 from the last one on."""
    return 1 + sum(value >= threshold for threshold in thresholds)


def _iso(moment):
    return moment.isoformat()


def _decay(since_iso, now):
    elapsed_days = max((now - datetime.fromisoformat(since_iso)).total_seconds(), 0) / 86400
    return math.pow(0.5, elapsed_days / omni_settings.AFFINITY_HALF_LIFE_DAYS)


def _remember_product(snapshot, product_id):
    recent = [pid for pid in snapshot.get("recent_products", []) if pid != product_id]
    snapshot["recent_products"] = [product_id, *recent][:RECENT_PRODUCTS]


def _add_affinity(snapshot, category_ids, weight, at):
    if not category_ids:
        return
    categories = snapshot.get("categories") or {}
    if categories:
        factor = _decay(snapshot["categories_at"], at)
        categories = {
            cid: s * factor for cid, s in categories.items() if s * factor >= AFFINITY_FLOOR
        }
    for category_id in category_ids:
        key = str(category_id)
        categories[key] = round(categories.get(key, 0.0) + weight, 4)
    snapshot["categories"] = categories
    snapshot["categories_at"] = max(_iso(at), snapshot.get("categories_at") or _iso(at))


def _basket_changed(snapshot, event):
    snapshot["basket"] = {
        "value": str(event.value if event.value is not None else Decimal("0.00")),
        "lines": event.data.get("lines", 0),
        "products": event.data.get("products", []),
        "updated_at": _iso(event.occurred_at),
    }


def _remember_purchases(snapshot, event):
    at = _iso(event.occurred_at)
    purchased = snapshot.get("purchased") or {}
    bought_categories = snapshot.get("bought_categories") or {}
    for line in event.data.get("lines", []):
        if line.get("product_id") is None:
            continue
        key = str(line["product_id"])
        known = purchased.get(key, {"n": 0, "at": at})
        purchased[key] = {"n": known["n"] + 1, "at": max(known["at"], at)}
        for category_id in line.get("category_ids", []):
            bought_categories[str(category_id)] = max(
                bought_categories.get(str(category_id), at), at
            )
    if len(purchased) > PURCHASED_PRODUCTS:
        newest = sorted(purchased.items(), key=lambda item: item[1]["at"], reverse=True)
        purchased = dict(newest[:PURCHASED_PRODUCTS])
    snapshot["purchased"] = purchased
    snapshot["bought_categories"] = bought_categories


def _order_placed(snapshot, event):
    orders = snapshot.get("orders") or {"count": 0, "total": "0.00", "store_count": 0}
    orders["count"] += 1
    orders["total"] = str(Decimal(orders["total"]) + (event.value or Decimal("0.00")))
    orders["last_at"] = max(_iso(event.occurred_at), orders.get("last_at") or "")
    if event.channel == "store":
        orders["store_count"] = orders.get("store_count", 0) + 1
    snapshot["orders"] = orders
    _remember_purchases(snapshot, event)
    if event.channel != "store":
        snapshot["basket"] = {
            "value": "0.00",
            "lines": 0,
            "products": [],
            "updated_at": _iso(event.occurred_at),
        }


def _visit_started(snapshot, event):
    snapshot["campaign"] = {**event.data, "at": _iso(event.occurred_at)}


def _push_subscribed(snapshot, event):
    snapshot["push_subscriptions"] = snapshot.get("push_subscriptions", 0) + 1


def _push_unsubscribed(snapshot, event):
    snapshot["push_subscriptions"] = max(snapshot.get("push_subscriptions", 0) - 1, 0)


def _consent_recorded(snapshot, event):
    purpose = event.data.get("purpose")
    if purpose is None:
        return  # an erased profile's event, anonymised
    consents = snapshot.get("consents") or {}
    if consents.get(purpose, {}).get("at", "") > _iso(event.occurred_at):
        return  # a later decision is already in force
    consents[purpose] = {
        "status": event.data["status"],
        "source": event.data.get("source", ""),
        "at": _iso(event.occurred_at),
    }
    snapshot["consents"] = consents


def _channel_preferred(snapshot, event):
    channel = event.data.get("channel")
    if channel is None:
        return  # an erased profile's event, anonymised
    at = _iso(event.occurred_at)
    if snapshot.get("preferred_channel_at", "") > at:
        return  # a later choice is already in force
    snapshot["preferred_channel"] = channel
    snapshot["preferred_channel_at"] = at


def _email_bounced(snapshot, event):
    address = event.data.get("address")
    if not address:
        return  # an erased profile's event, anonymised
    bounced = set(snapshot.get("bounced_emails", []))
    snapshot["bounced_emails"] = sorted(bounced | {address.lower()})


def _customer_enrolled(snapshot, event):
    if event.data.get("name"):
        snapshot["name"] = event.data["name"]


HANDLERS = {
    "basket_addition": _basket_changed,
    "basket_line_removed": _basket_changed,
    "order_placed": _order_placed,
    "consent_recorded": _consent_recorded,
    "visit_started": _visit_started,
    "push_subscribed": _push_subscribed,
    "push_unsubscribed": _push_unsubscribed,
    "channel_preferred": _channel_preferred,
    "email_bounced": _email_bounced,
    "customer_enrolled": _customer_enrolled,
}
