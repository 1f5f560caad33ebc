"""Basket left: items in the basket and no order since they were put there."""

from datetime import datetime

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _
from oscar.templatetags.currency_filters import currency

from ..facts import product_facts
from .base import (
    RESTART_ALWAYS,
    Enrolment,
    Trigger,
    current_snapshots,
    enrol_runs,
    events_between,
)

BASKET_EVENTS = ("basket_addition", "basket_line_removed")


class BasketLeft(Trigger):
    """One run per customer about their basket, restarted by every change to it."""

    name = "basket_left"
    intent = "basket_left"
    placeholders = ("count", "product", "total")

    def enrol(self, journey, since, until):
        latest = dict(
            events_between(BASKET_EVENTS, since, until)
            .values("profile_id")
            .annotate(latest=Max("occurred_at"))
            .values_list("profile_id", "latest")
        )
        enrolments = [
            Enrolment(profile_id, "basket", latest[profile_id])
            for profile_id, snapshot in current_snapshots(latest).items()
            if _lines(snapshot)
        ]
        return enrol_runs(journey, enrolments, restart=RESTART_ALWAYS)

    def stop_reason(self, run, profile, now):
        snapshot = profile.snapshot
        last_order = (snapshot.get("orders") or {}).get("last_at")
        if last_order and datetime.fromisoformat(last_order) >= run.started_at:
            return _("An order was placed.")
        if not _lines(snapshot):
            return _("The basket is empty.")
        return None

    def values(self, run, profile):
        basket = profile.snapshot.get("basket") or {}
        products = basket.get("products") or []
        newest = product_facts(products[-1]) if products else None
        return (
            {
                "count": _lines(profile.snapshot),
                "product": newest["title"] if newest else "",
                "total": currency(basket.get("value", "0.00")),
            },
            reverse("basket:summary"),
        )


def _lines(snapshot):
    return (snapshot.get("basket") or {}).get("lines", 0)
