"""Triggered messages: a push to one person's browsers, sent by the plugin's other parts.

    from omni_plugin.push.messages import notify
    from omni_plugin.push.payloads import PushMessage

    message = PushMessage(title="Back in stock", body="Size 42 is back", url="/p/42/")
    deliveries = notify(profile.id, message, key=f"back_in_stock:{alert.pk}")

A ``key`` makes the message once-only: notifying again with the same key pushes nothing
to browsers that already had it; ``notify_many`` does the same for many messages at once.
The deliveries say what became of each push ("delivered", "expired", ...) once sent: at
once in-process, or when a worker has sent them.
"""

from collections import defaultdict

from django.db import transaction

from omni_plugin.core.merging import root_of

from .models import Delivery, PushSubscription
from .sending import chunks, send_deliveries
from .tasks import send_delivery_chunk


def notify(profile_id, message, key=""):
    """Push ``message`` to every active browser of the profile; its deliveries."""
    if key:
        return notify_many([(root_of(profile_id), message, key)])[0]
    message.check_size()
    browsers = PushSubscription.objects.filter(profile_id=root_of(profile_id), active=True)
    deliveries = _unkeyed(message, browsers)
    transaction.on_commit(lambda: _enqueue([d.pk for d in deliveries]))
    return _refreshed(deliveries)


def notify_many(notices):
    """Push each ``(profile_id, message, key)`` to every active browser of that profile
    (not followed through merges); the deliveries of each, in order. Each ``key`` makes its
    message once-only. A few queries for all of them; the pushes are sent in chunks once
    the transaction commits."""
    for _profile_id, message, key in notices:
        message.check_size()
        if not key:
            raise ValueError("Each message notified together needs its own key.")
    browsers = defaultdict(list)
    for pk, profile_id in (
        PushSubscription.objects.filter(
            profile_id__in={profile_id for profile_id, _message, _key in notices}, active=True
        )
        .values_list("pk", "profile_id")
        .order_by("pk")
    ):
        browsers[profile_id].append(pk)
    wanted = {
        (key, pk): message.as_dict()
        for profile_id, message, key in notices
        for pk in browsers[profile_id]
    }
    Delivery.objects.bulk_create(
        [Delivery(subscription_id=pk, key=key, message=data) for (key, pk), data in wanted.items()],
        ignore_conflicts=True,
    )
    made = _keyed(wanted)
    fresh = [d.pk for d in made.values() if d.status == Delivery.Status.PENDING]
    if fresh:
        transaction.on_commit(lambda: _enqueue(fresh))
        made = _keyed(wanted)  # sent already when no transaction holds them back
    return [[made[key, pk] for pk in browsers[profile_id]] for profile_id, _message, key in notices]


def send_test(message, subscriptions):
    """Push ``message`` to the subscriptions now, counted in no campaign's report."""
    message.check_size()
    deliveries = _unkeyed(message, subscriptions)
    send_deliveries([delivery.pk for delivery in deliveries])
    return _refreshed(deliveries)


def _unkeyed(message, subscriptions):
    return Delivery.objects.bulk_create(
        Delivery(subscription_id=pk, message=message.as_dict())
        for pk in subscriptions.values_list("pk", flat=True)
    )


def _refreshed(deliveries):
    return list(Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).order_by("pk"))


def _keyed(wanted):
    """The deliveries of these (key, subscription) pairs, by pair."""
    found = Delivery.objects.filter(
        key__in={key for key, _pk in wanted}, subscription_id__in={pk for _key, pk in wanted}
    )
    return {(d.key, d.subscription_id): d for d in found if (d.key, d.subscription_id) in wanted}


def _enqueue(delivery_ids):
    for chunk in chunks(delivery_ids):
        send_delivery_chunk.enqueue(chunk)
