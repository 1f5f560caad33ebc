"""Web push as a messaging channel: to every browser the customer subscribed.

Push services answer later: the channel hands the message over, and ``deliveries_settled``
lets messaging's ``settle`` ask ``outcome`` what became of it.
"""

from omni_plugin.core.consent import Purpose
from omni_plugin.messaging.channels.base import FAILED, PENDING, SENT, Channel, Outcome
from omni_plugin.messaging.content import absolute

from .messages import notify
from .models import Delivery, PushSubscription
from .payloads import PayloadTooLarge, PushMessage

#: What a notification shows of the body before the system cuts it.
BODY_MAX = 240
KEY_PREFIX = "message:"


class PushChannel(Channel):
    name = "push"
    label = "Web push"
    consent_purpose = Purpose.PUSH
    answers_later = True

    def reaches(self, profile, snapshot):
        return PushSubscription.objects.filter(profile=profile, active=True).exists()

    def send(self, message, profile, snapshot):
        content = message.content
        body = content["body"]
        if len(body) > BODY_MAX:
            body = body[: BODY_MAX - 1].rstrip() + "…"
        notification = PushMessage(
            title=content["title"],
            body=body,
            url=content["url"] or "/",
            image=absolute(content["image"]),
        )
        try:
            deliveries = notify(profile.pk, notification, key=push_key(message.pk))
        except PayloadTooLarge as error:
            return Outcome(FAILED, str(error))
        if not deliveries:
            return Outcome(FAILED, "No browser is subscribed any more.")
        return Outcome(PENDING)

    def outcome(self, message):
        """Sent when any browser got it; failed when every push ended otherwise."""
        deliveries = list(
            Delivery.objects.filter(key=push_key(message.pk)).values_list("status", "reason")
        )
        statuses = {status for status, _ in deliveries}
        if statuses & {Delivery.Status.PENDING, Delivery.Status.SENDING}:
            return Outcome(PENDING)
        if Delivery.Status.DELIVERED in statuses:
            return Outcome(SENT)
        reasons = "; ".join(sorted({f"{status}: {reason}" for status, reason in deliveries}))
        return Outcome(FAILED, reasons or "No browser got it.")

    def campaigns_sent(self, profile_id, since):
        """The push campaigns that reached the profile's browsers since ``since``."""
        return (
            Delivery.objects.filter(
                campaign__isnull=False,
                subscription__profile_id=profile_id,
                status=Delivery.Status.DELIVERED,
                sent_at__gt=since,
            )
            .values("campaign_id")
            .distinct()
            .count()
        )


def push_key(message_id):
    return f"{KEY_PREFIX}{message_id}"


def message_id_of(key):
    """The message a triggered push was for, or None for pushes of other senders."""
    if key.startswith(KEY_PREFIX) and key[len(KEY_PREFIX) :].isdigit():
        return int(key[len(KEY_PREFIX) :])
    return None
