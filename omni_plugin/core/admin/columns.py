"""The columns of the customer list, read from each profile's snapshot and consents."""

from django.utils.translation import gettext_lazy as _
from oscar.templatetags.currency_filters import currency
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn

from .consents import current_consents


def orders_count(profile):
    return (profile.snapshot.get("orders") or {}).get("count", 0)


def orders_total(profile):
    orders = profile.snapshot.get("orders")
    return currency(orders["total"]) if orders else ""


def events_count(profile):
    return profile.snapshot.get("events", 0)


def consents_summary(profile):
    """A summary such as "Email: Granted, Web push: Withdrawn", from the prefetched consents."""
    return ", ".join(
        f"{consent.get_purpose_display()}: {consent.get_status_display()}"
        for consent in current_consents(profile.consents.all())
    )


def customer_columns():
    return [
        DateColumn("last_seen", label=_("Last seen"), sort_key="last_seen"),
        NumberColumn("orders", label=_("Orders"), accessor=orders_count),
        Column("spent", label=_("Spent"), accessor=orders_total),
        NumberColumn("events", label=_("Events"), accessor=events_count),
        Column("consents", label=_("Consents"), accessor=consents_summary),
    ]
