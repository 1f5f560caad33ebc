"""Rules about what a visitor looked at and left in their basket."""

from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .base import HistoryRule, Rule, days_field, times_field
from .targets import TargetRule


class ViewedRule(TargetRule, HistoryRule):
    """Viewed a product, or products of a category, N times in the last D days."""

    times = times_field()
    days = days_field()
    kinds = ("product_viewed",)

    class Meta:
        icon = "view"
        label = _("Viewed a product or category")

    def watches(self, params, event):
        return event.kind in self.kinds and self.concerns(
            params, event.product_id, event.category_ids
        )

    def describe(self, params):
        return _("Viewed %(target)s %(times)s+ times in the last %(days)s days") % params


class AbandonedBasketRule(Rule):
    """Has products in the basket, last changed at least H hours ago, and no order since."""

    hours = blocks.IntegerBlock(
        min_value=1, default=1, label=_("Basket untouched for at least (hours)")
    )

    class Meta:
        icon = "warning"
        label = _("Abandoned basket")

    def test(self, params, subject):
        basket = subject.snapshot.get("basket") or {}
        if not basket.get("lines"):
            return False
        changed = datetime.fromisoformat(basket["updated_at"])
        return subject.now - changed >= timedelta(hours=params["hours"])

    def describe(self, params):
        return _("Left products in the basket for %(hours)s+ hours") % params
