"""Triggered messages: a push to one person's browsers, sent by the plugin's other parts.

    from omni_plugin.push.messages import notify
    from omni_plugin.push.payloads import PushMessage

    message = PushMessage(title="Back in stock", body="Size 42 is back", url="/p/42/")
    deliveries = notify(profile.id, message, key=f"back_in_stock:{alert.pk}")

A ``key`` makes the message once-only: notifying again with the same key pushes nothing
to browsers that already had it. The deliveries say what became of each push ("delivered",
"expired", ...) once sent: at once in-process, or when a worker has sent them.
"""

from django.db import transaction

from omni_plugin.core.merging import root_of

from .models import Delivery, PushSubscription
from .sending import send_deliveries
from .tasks import send_delivery_chunk


def notify(profile_id, message, key=""):
    """Push ``message`` to every active browser of the profile; its deliveries."""
    message.check_size()
    subscriptions = PushSubscription.objects.filter(profile_id=root_of(profile_id), active=True)
    deliveries = _deliveries(subscriptions, message, key)
    fresh = [d.pk for d in deliveries if d.status == Delivery.Status.PENDING]
    if fresh:
        transaction.on_commit(lambda: _enqueue(fresh))
    return _refreshed(deliveries)


def send_test(message, subscriptions):
    """Push ``message`` to the subscriptions now, counted in no campaign's report."""
    message.check_size()
    deliveries = _deliveries(subscriptions, message, key="")
    send_deliveries([delivery.pk for delivery in deliveries])
    return _refreshed(deliveries)


def _deliveries(subscriptions, message, key):
    """A delivery per subscription: new ones, and for a ``key`` those already made."""
    new = [
        Delivery(subscription_id=pk, key=key, message=message.as_dict())
        for pk in subscriptions.values_list("pk", flat=True)
    ]
    if not key:
        return Delivery.objects.bulk_create(new)
    Delivery.objects.bulk_create(new, ignore_conflicts=True)
    return list(
        Delivery.objects.filter(key=key, subscription_id__in=[d.subscription_id for d in new])
    )


def _enqueue(delivery_ids):
    send_delivery_chunk.enqueue(delivery_ids)


def _refreshed(deliveries):
    return list(Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).order_by("pk"))
