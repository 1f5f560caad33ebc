"""Sending deliveries: claim a batch, push it, and write down what became of each push.

A batch is claimed by writing a fresh ``claim`` on the deliveries that are due, so two
workers never send the same one. Outcomes are written every ``RECORD_EVERY`` pushes; a
worker that dies leaves its claim to expire after ``LEASE``, and the next dispatch sends
what it had not written down. Nothing is lost, and what may be pushed twice is bounded: the
pushes in flight and those settled but not yet written, at most ``RECORD_EVERY`` +
``OMNI_PUSH_CONCURRENCY`` per sending process. Each push of a campaign carries the
campaign's topic, so a push service replaces, rather than repeats, one it still holds, and
the service worker shows a push that arrives twice once.
"""

from collections import Counter, defaultdict
from datetime import timedelta
from uuid import uuid4

from django.db.models import F, Q
from django.utils import timezone

from omni_plugin.conf import omni_settings

from .models import Campaign, Delivery, PushSubscription
from .payloads import PushMessage, campaign_message
from .receipts import receipt_for
from .signals import deliveries_settled
from .transport import Outcome, Push, shared_transport

LEASE = timedelta(minutes=10)
RECORD_EVERY = 25


def claimable(now):
    """Deliveries a worker may take: due ones, and those of a claim that has expired."""
    return (
        Q(status=Delivery.Status.PENDING, due_at__lte=now)
        | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - LEASE)
    ) & (Q(campaign__isnull=True) | Q(campaign__status=Campaign.Status.SENDING))


def due_delivery_ids(now=None):
    now = now or timezone.now()
    return (
        Delivery.objects.filter(claimable(now))
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)
    )


def chunks(ids, size=None):
    """``ids`` in lists of ``OMNI_PUSH_CHUNK_SIZE``."""
    size = size or omni_settings.PUSH_CHUNK_SIZE
    batch = []
    for pk in ids:
        batch.append(pk)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def send_deliveries(delivery_ids, now=None):
    """Send those of the deliveries that are due; a ``Counter`` of what became of them."""
    now = now or timezone.now()
    deliveries = _claim(delivery_ids, now)
    results = Counter()
    if not deliveries:
        return results
    pushes = _pushes(deliveries, results)
    recorder = _Recorder(deliveries)
    for outcome in shared_transport().send(pushes):
        results[outcome.result] += 1
        recorder.add(outcome)
    recorder.flush()
    finish_campaigns({d.campaign_id for d in deliveries.values() if d.campaign_id})
    _announce_settled([d.pk for d in deliveries.values() if d.key])
    return results


def finish_campaigns(campaign_ids):
    """Mark sent the sending campaigns fanned out that have nothing left to send."""
    unfinished = Delivery.objects.filter(
        campaign_id__in=campaign_ids,
        status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING],
    ).values("campaign_id")
    Campaign.objects.filter(
        pk__in=campaign_ids, status=Campaign.Status.SENDING, fanned_out_at__isnull=False
    ).exclude(pk__in=unfinished).update(status=Campaign.Status.SENT, finished_at=timezone.now())


def _announce_settled(delivery_ids):
    if not delivery_ids:
        return
    keys = list(
        Delivery.objects.filter(pk__in=delivery_ids)
        .exclude(status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING])
        .values_list("key", flat=True)
        .distinct()
    )
    if keys:
        deliveries_settled.send(sender=Delivery, keys=sorted(keys))


def _claim(delivery_ids, now):
    claim = uuid4()
    Delivery.objects.filter(pk__in=delivery_ids).filter(claimable(now)).update(
        status=Delivery.Status.SENDING, claim=claim, claimed_at=now
    )
    claimed = Delivery.objects.filter(claim=claim).select_related(
        "subscription", "campaign__icon", "campaign__image"
    )
    return {delivery.pk: delivery for delivery in claimed}


def _pushes(deliveries, results):
    """A ``Push`` per delivery; those to ended subscriptions are skipped here."""
    messages = {}
    pushes, skipped = [], []
    for delivery in deliveries.values():
        subscription = delivery.subscription
        if not subscription.active:
            skipped.append(delivery.pk)
            continue
        if delivery.campaign_id:
            if delivery.campaign_id not in messages:
                messages[delivery.campaign_id] = campaign_message(delivery.campaign)
            message = messages[delivery.campaign_id]
        else:
            message = PushMessage.from_dict(delivery.message)
        pushes.append(
            Push(
                delivery_id=delivery.pk,
                endpoint=subscription.endpoint,
                p256dh=subscription.p256dh,
                auth=subscription.auth,
                payload=message.payload(receipt_for(delivery.pk)),
                ttl=message.ttl,
                urgency=message.urgency,
                topic=message.topic,
            )
        )
    if skipped:
        Delivery.objects.filter(pk__in=skipped).update(
            status=Delivery.Status.SKIPPED, reason="The subscription has ended.", claim=None
        )
        results[Delivery.Status.SKIPPED] += len(skipped)
    return pushes


class _Recorder:
    """Writes outcomes to their deliveries, and ends the subscriptions found gone.

    Outcomes alike (most often: delivered at the first attempt) are written by one UPDATE.
    """

    STATUSES = {
        Outcome.DELIVERED: Delivery.Status.DELIVERED,
        Outcome.EXPIRED: Delivery.Status.EXPIRED,
        Outcome.FAILED: Delivery.Status.FAILED,
        Outcome.RETRY: Delivery.Status.PENDING,
    }

    def __init__(self, deliveries):
        self.deliveries = deliveries
        self.pending = []

    def add(self, outcome):
        self.pending.append(outcome)
        if len(self.pending) >= RECORD_EVERY:
            self.flush()

    def flush(self):
        if not self.pending:
            return
        now = timezone.now()
        alike = defaultdict(list)
        for outcome in self.pending:
            alike[
                (
                    outcome.result,
                    outcome.attempts,
                    outcome.http_status,
                    outcome.reason,
                    outcome.retry_at,
                )
            ].append(outcome.delivery_id)
        for (result, attempts, http_status, reason, retry_at), ids in alike.items():
            changes = {
                "status": self.STATUSES[result],
                "reason": reason,
                "http_status": http_status,
                "attempts": F("attempts") + attempts,
                "claim": None,
            }
            if attempts:
                changes["sent_at"] = now
            if retry_at is not None:
                changes["due_at"] = retry_at
            Delivery.objects.filter(pk__in=ids).update(**changes)
        gone = [
            self.deliveries[outcome.delivery_id].subscription_id
            for outcome in self.pending
            if outcome.result == Outcome.EXPIRED
        ]
        if gone:
            PushSubscription.objects.filter(pk__in=gone, active=True).update(
                active=False,
                deactivated_at=now,
                deactivation_reason=PushSubscription.DeactivationReason.GONE,
            )
        self.pending = []
