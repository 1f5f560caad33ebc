"""The ready-for-pickup journey's trigger: an order reached the status that means it can be
collected."""

from django.urls import reverse
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from omni_plugin.core.models import Event
from omni_plugin.messaging.journeys.triggers.base import (
    Enrolment,
    Trigger,
    current_snapshots,
    enrol_runs,
    events_between,
)

from .models import OrderPickup

STATUS_CHANGED = "order_status_changed"


class PickupReady(Trigger):
    """One run per order: the notice that it is ready, then reminders until collected."""

    name = "pickup_ready"
    intent = "ready_for_pickup"
    reminder_intent = "pickup_reminder"
    placeholders = ("order", "store")

    def enrol(self, journey, since, until):
        if not journey.order_status:
            return 0
        changes = events_between([STATUS_CHANGED], since, until).filter(
            data__new_status=journey.order_status
        )
        changes = list(changes.values_list("profile_id", "order_number", "occurred_at", "data"))
        snapshots = current_snapshots(profile_id for profile_id, *_rest in changes)
        enrolments = [
            Enrolment(
                profile_id,
                f"order:{number}",
                occurred_at,
                {"order": number, "store": _store_of(number, data)},
            )
            for profile_id, number, occurred_at, data in changes
            if profile_id in snapshots and number
        ]
        return enrol_runs(journey, enrolments)

    def intent_for(self, index):
        return self.intent if index == 0 else self.reminder_intent

    def stop_reason(self, run, profile, now):
        later = (
            Event.objects.filter(
                kind=STATUS_CHANGED,
                order_number=run.context["order"],
                occurred_at__gt=run.started_at,
            )
            .order_by("-occurred_at")
            .values_list("data", flat=True)
            .first()
        )
        if later is not None:
            return _("The order moved on to “%(status)s”.") % {"status": later.get("new_status")}
        return None

    def values(self, run, profile):
        return (
            {"order": run.context["order"], "store": run.context["store"]},
            _order_page(run.context["order"], profile),
        )


def _store_of(number, data):
    """The store the order is collected from: the pickup's, else as the event or the order
    names it."""
    name = (
        OrderPickup.objects.filter(order__number=number)
        .values_list("store_name", flat=True)
        .first()
    )
    if name:
        return name
    if data.get("store"):
        return data["store"]
    Order = get_model("order", "Order")
    return (
        Order.objects.filter(number=number).values_list("shipping_method", flat=True).first() or ""
    )


def _order_page(number, profile):
    """The customer's page of the order when they have an account, else the shop's home."""
    if profile.snapshot.get("user_id"):
        return reverse("customer:order", kwargs={"order_number": number})
    return "/"
