"""Web push as a messaging channel: to every browser the customer subscribed.

Push services answer later: the channel hands the messages over, and ``deliveries_settled``
lets messaging's ``settle_messages`` ask ``outcomes`` what became of them.
"""

from collections import defaultdict

from django.db.models import Count

from omni_plugin.core.consent import Purpose
from omni_plugin.messaging.channels.base import FAILED, PENDING, SENT, Channel, Outcome
from omni_plugin.messaging.content import absolute

from .messages import notify_many
from .models import Delivery, PushSubscription
from .payloads import PayloadTooLarge, PushMessage

#: What a notification shows of the body before the system cuts it.
BODY_MAX = 240
KEY_PREFIX = "message:"
NO_BROWSER = "No browser is subscribed any more."


class PushChannel(Channel):
    name = "push"
    label = "Web push"
    consent_purpose = Purpose.PUSH
    answers_later = True

    def reaching(self, profiles):
        return set(
            PushSubscription.objects.filter(
                profile_id__in=[profile.pk for profile in profiles], active=True
            ).values_list("profile_id", flat=True)
        )

    def send_many(self, messages):
        outcomes, pushed, notices = {}, [], []
        for message in messages:
            notification = _notification(message.content)
            try:
                notification.check_size()
            except PayloadTooLarge as error:
                outcomes[message.pk] = Outcome(FAILED, str(error))
                continue
            pushed.append(message)
            notices.append((message.profile_id, notification, push_key(message.pk)))
        for message, deliveries in zip(pushed, notify_many(notices) if notices else []):
            outcomes[message.pk] = Outcome(PENDING) if deliveries else Outcome(FAILED, NO_BROWSER)
        return [outcomes[message.pk] for message in messages]

    def outcomes(self, messages):
        """Sent when any browser got it; failed when every push ended otherwise."""
        deliveries = defaultdict(list)
        for key, status, reason in Delivery.objects.filter(
            key__in=[push_key(message.pk) for message in messages]
        ).values_list("key", "status", "reason"):
            deliveries[key].append((status, reason))
        return [_outcome(deliveries[push_key(message.pk)]) for message in messages]

    def campaigns_sent(self, profile_ids, since):
        """The push campaigns that reached each profile's browsers since ``since``."""
        return dict(
            Delivery.objects.filter(
                campaign__isnull=False,
                subscription__profile_id__in=profile_ids,
                status=Delivery.Status.DELIVERED,
                sent_at__gt=since,
            )
            .values("subscription__profile_id")
            .annotate(campaigns=Count("campaign_id", distinct=True))
            .values_list("subscription__profile_id", "campaigns")
        )


def _notification(content):
    body = content["body"]
    if len(body) > BODY_MAX:
        body = body[: BODY_MAX - 1].rstrip() + "…"
    return PushMessage(
        title=content["title"],
        body=body,
        url=content["url"] or "/",
        image=absolute(content["image"]),
    )


def _outcome(deliveries):
    statuses = {status for status, _reason in deliveries}
    if statuses & {Delivery.Status.PENDING, Delivery.Status.SENDING}:
        return Outcome(PENDING)
    if Delivery.Status.DELIVERED in statuses:
        return Outcome(SENT)
    reasons = "; ".join(sorted({f"{status}: {reason}" for status, reason in deliveries}))
    return Outcome(FAILED, reasons or "No browser got it.")


def push_key(message_id):
    return f"{KEY_PREFIX}{message_id}"


def message_id_of(key):
    """The message a triggered push was for, or None for pushes of other senders."""
    if key.startswith(KEY_PREFIX) and key[len(KEY_PREFIX) :].isdigit():
        return int(key[len(KEY_PREFIX) :])
    return None
