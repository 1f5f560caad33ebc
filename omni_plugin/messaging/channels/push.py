"""Web push to every browser the customer subscribed, through the push app.

Push services answer later: the channel hands the message over, and the push app's
``deliveries_settled`` signal lets ``sending.settle`` learn what became of it.
"""

from push.messages import notify
from push.models import Delivery, PushSubscription
from push.payloads import PayloadTooLarge, PushMessage

from ...consent import Purpose
from ..content import absolute
from .base import FAILED, PENDING, Channel, Outcome

#: What a notification shows of the body before the system cuts it.
BODY_MAX = 240
KEY_PREFIX = "message:"


class PushChannel(Channel):
    name = "push"
    label = "Web push"
    consent_purpose = Purpose.PUSH

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


def campaigns_pushed(profile_id, since):
    """How many push campaigns reached the profile's browsers since ``since``: they count
    against the messaging caps like the ``campaign`` messages they are."""
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
