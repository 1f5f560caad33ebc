"""Firing the alerts a stock rise or a price cut answers, apart from the change itself.

Runs as a task after the change is committed. Each alert is fired at most once: its
message has the key ``stock_alert:<id>``, which the messaging layer sends once, and the
alert is closed as it fires. Alerts fire a chunk at a time (a task each), each chunk's checks and
writes a handful of queries; availability is read again before each chunk, so alerts stop
firing when the stock is gone again, and those left wait for the next rise.
"""

import logging
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from omni_plugin.core.bulk_update import update_rows
from omni_plugin.messaging.content import MessageContent
from omni_plugin.messaging.errors import MessagingError
from omni_plugin.messaging.sending import Outgoing, send_messages

from ..models import StockAlert, Store
from . import oscar_alerts
from .stock import availability, is_available, shop_strategy

logger = logging.getLogger(__name__)

#: How long after a plugin's alert fired its person is spared Oscar's alert on the product.
RESTOCK_WINDOW = timedelta(hours=1)

Product = get_model("catalogue", "Product")
Kind, Status = StockAlert.Kind, StockAlert.Status


#: Alerts fired by one task: a restock that thousands wait for is shared among workers.
CHUNK = 500


@task()
def dispatch_back_in_stock(product_id, partner_id):
    """Fire the alerts waiting for ``product_id`` (or its parent) in the web shop, or at the
    store of ``partner_id`` when that partner is a store's, in chunks of tasks; how many
    alerts were handed to them."""
    product = Product.objects.filter(pk=product_id).first()
    store = Store.objects.filter(partner_id=partner_id).first()
    if product is None or (store is not None and not store.active):
        return 0  # an inactive store's stock answers nobody
    available = availability(product, store)
    if not available.is_available_to_buy:
        return 0
    waiting = list(
        StockAlert.objects.filter(
            kind=Kind.BACK_IN_STOCK,
            status=Status.ACTIVE,
            product_id__in=_asked_about(product),
            store=store,
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )
    left = getattr(available, "num_available", None)
    hurry_left = left if left is not None and 0 < left < len(waiting) else None
    store_id = store.pk if store else None
    for start in range(0, len(waiting), CHUNK):
        fire_back_in_stock.enqueue(waiting[start : start + CHUNK], product_id, store_id, hurry_left)
    if store is None and oscar_alerts.taken_over():
        serve_oscar_alerts.enqueue(product_id)
    return len(waiting)


@task()
def fire_back_in_stock(alert_ids, product_id, store_id, hurry_left):
    """Fire these alerts while the product can still be bought; how many fired."""
    product = Product.objects.filter(pk=product_id).first()
    store = Store.objects.filter(pk=store_id).first() if store_id else None
    if product is None or (store_id and store is None):
        return 0
    if not is_available(product, store):
        return 0
    alerts = StockAlert.objects.filter(pk__in=alert_ids, status=Status.ACTIVE)
    alerts = list(alerts.select_related("product").order_by("created_at", "pk"))
    contents = {}
    for alert in alerts:
        if alert.product_id not in contents:
            contents[alert.product_id] = back_in_stock_content(
                alert.product, product, store, hurry_left
            )
    return _fire(alerts, lambda alert: contents[alert.product_id], timezone.now())


@task()
def serve_oscar_alerts(product_id):
    """Send Oscar's own alerts on the product, except to people an alert of the plugin
    tells about this restock (waiting or just sent), so nobody hears it twice."""
    product = Product.objects.filter(pk=product_id).first()
    if product is None:
        return 0
    asked_about = _asked_about(product)
    plugins = StockAlert.objects.filter(
        product_id__in=asked_about, kind=Kind.BACK_IN_STOCK, store=None
    )
    told = set(
        plugins.filter(
            Q(status=Status.ACTIVE)
            | Q(status=Status.SENT, closed_at__gte=timezone.now() - RESTOCK_WINDOW)
        ).values_list("profile_id", flat=True)
    )
    return oscar_alerts.serve(product, asked_about, told, timezone.now())


def _asked_about(product):
    """The products whose alerts this one's stock answers: itself and its parent."""
    return [product.pk, *([product.parent_id] if product.parent_id else [])]


@task()
def dispatch_price_drops(product_id):
    """Fire the price drop alerts on ``product_id`` whose price is now below the one the
    customer saw; how many fired."""
    product = Product.objects.filter(pk=product_id).first()
    if product is None or product.is_parent:
        return 0
    price = shop_strategy().fetch_for_product(product).price
    if not price.exists:
        return 0
    now_price = price.incl_tax if price.is_tax_known else price.excl_tax
    alerts = StockAlert.objects.filter(
        kind=Kind.PRICE_DROP, status=Status.ACTIVE, product=product, price__gt=now_price
    ).order_by("created_at", "pk")

    def content(alert):
        return MessageContent(
            title=_("Now %(price)s: %(product)s")
            % {
                "price": currency(now_price, price.currency),
                "product": product.get_title(),
            },
            body=_("%(product)s from your wish list was %(old)s and is now %(price)s.")
            % {
                "product": product.get_title(),
                "old": currency(alert.price, price.currency),
                "price": currency(now_price, price.currency),
            },
            url=product.get_absolute_url(),
            data={"product": product.pk, "price": str(now_price)},
        )

    # The key a price drop journey uses too: one message per customer and price.
    key = f"price_drop:{product.pk}:{now_price}"
    return _fire(list(alerts), content, timezone.now(), intent="price_drop", key=key)


def back_in_stock_content(asked_about, product, store, hurry_left=None):
    """What the alert says: the product is back (the variant, when a parent was asked
    about), online or at the store, and how few are left when stock is short."""
    title = product.get_title()
    if store is None:
        headline = _("Back in stock: %(product)s") % {"product": title}
        body = _("%(product)s is back in stock in our web shop.") % {"product": title}
    else:
        headline = _("Back at %(store)s: %(product)s") % {"store": store.name, "product": title}
        body = _("%(product)s is back at %(store)s, %(address)s: collect it there.") % {
            "product": title,
            "store": store.name,
            "address": ", ".join(filter(None, (store.line1, store.city))),
        }
    if hurry_left:
        body += " " + ngettext("Hurry, only %(n)s left.", "Hurry, only %(n)s left.", hurry_left) % {
            "n": hurry_left
        }
    return MessageContent(
        title=headline[:120],
        body=body,
        url=asked_about.get_absolute_url() if asked_about.is_parent else product.get_absolute_url(),
        data={
            "product": product.pk,
            "store": store.code if store else "",
            "hurry": bool(hurry_left),
            "left": hurry_left,
        },
    )


def _fire(alerts, content_of, now, intent="back_in_stock", key=None):
    """Send the alerts' messages, ``content_of(alert)`` saying what each says, and close
    them; how many this call fired."""
    results = send_messages(
        intent,
        [
            Outgoing(
                alert.profile_id,
                content_of(alert),
                key=key or f"stock_alert:{alert.pk}",
                first_channel=alert.channel or None,
            )
            for alert in alerts
        ],
        now=now,
    )
    sent, unsent = [], []
    for alert, result in zip(alerts, results):
        alert.closed_at = now
        if isinstance(result, MessagingError):  # the person was erased meanwhile
            logger.info("Stock alert #%s closed unsent: %s", alert.pk, result)
            alert.status = Status.CANCELLED
            unsent.append(alert)
        else:
            alert.status, alert.message = Status.SENT, result
            sent.append(alert)
    closing = ["status", "closed_at", "message"]
    update_rows(unsent, closing, where={"status": Status.ACTIVE})
    return update_rows(sent, closing, where={"status": Status.ACTIVE})
