"""Receipts: the service worker reports that a push was shown, or clicked.

    payload["receipt"] = receipt_for(delivery.pk)   # in every push
    record_receipt(token, "clicked")                # raises InvalidReceipt

A receipt is the delivery's id, signed: it is the proof that the report is about a push the
shop sent, so the service worker needs no other credential. Each moment is kept the first
time only; a click implies the notification was shown.
"""

from django.core import signing
from django.db import transaction
from django.utils import timezone

from omni_plugin.core.events import ProfileErased, record
from omni_plugin.core.models import Event

from .models import Delivery

SALT = "omni.push.receipt"
EVENTS = ("shown", "clicked")


class InvalidReceipt(ValueError):
    """The receipt cannot be recorded; the message says why."""


def receipt_for(delivery_id):
    """A short signed token naming the delivery."""
    return _signer().sign(signing.b62_encode(delivery_id))


def record_receipt(token, event):
    """Note that the delivery's push was ``event`` ("shown" or "clicked"), once.

    Returns True when this is the first such report. A first click also records the event
    ``push_clicked`` on the profile the push went to.
    """
    if event not in EVENTS:
        raise InvalidReceipt(f"'event' is 'shown' or 'clicked', not {event!r}.")
    delivery_id = _delivery_id(token)
    now = timezone.now()
    deliveries = Delivery.objects.filter(pk=delivery_id)
    if not deliveries.exists():
        raise InvalidReceipt("The receipt names a push that is no longer kept.")
    with transaction.atomic():
        newly_shown = deliveries.filter(shown_at__isnull=True).update(shown_at=now)
        if event == "shown":
            return bool(newly_shown)
        if not deliveries.filter(clicked_at__isnull=True).update(clicked_at=now):
            return False
        delivery = deliveries.values("subscription__profile_id", "campaign_id").get()
        _record_click(delivery, delivery_id)
    return True


def _delivery_id(token):
    if not isinstance(token, str) or not token:
        raise InvalidReceipt("'receipt' is missing: the token the push carried.")
    try:
        return signing.b62_decode(_signer().unsign(token))
    except (signing.BadSignature, ValueError):
        raise InvalidReceipt("The receipt is not one this shop signed.") from None


def _record_click(delivery, delivery_id):
    data = {"delivery": delivery_id}
    if delivery["campaign_id"]:
        data["campaign"] = delivery["campaign_id"]
    try:
        record(
            "push_clicked",
            profile=delivery["subscription__profile_id"],
            channel=Event.Channel.PUSH,
            data=data,
        )
    except ProfileErased:
        pass  # nothing more is written about a person whose profile was erased


def _signer():
    return signing.Signer(salt=SALT)
