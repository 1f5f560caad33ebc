"""Rules about what and how much a customer bought, online and in store."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from .base import HistoryRule, Rule, days_field, times_field
from .targets import TargetRule

EVER, WITHIN, NOT_WITHIN = "ever", "within", "not_within"


class PurchasedRule(TargetRule):
    """Bought a product or from a category: ever, in the last D days, or not in them."""

    when = blocks.ChoiceBlock(
        choices=[
            (EVER, _("ever")),
            (WITHIN, _("in the last D days")),
            (NOT_WITHIN, _("not in the last D days (or never)")),
        ],
        default=EVER,
    )
    days = blocks.IntegerBlock(min_value=1, required=False, label=_("D (days)"))

    class Meta:
        icon = "tick"
        label = _("Purchased a product or category")

    def clean(self, value):
        value = super().clean(value)
        if value["when"] != EVER and not value.get("days"):
            raise StructBlockValidationError(
                block_errors={"days": ValidationError(_("Say how many days."))}
            )
        return value

    def test(self, params, subject):
        last = self._last_purchase(params, subject.snapshot)
        if params["when"] == EVER:
            return last is not None
        recent = last is not None and last >= subject.since_days(params["days"])
        return recent if params["when"] == WITHIN else not recent

    def _last_purchase(self, params, snapshot):
        if params["product"]:
            return (snapshot.get("purchased") or {}).get(str(params["product"]), {}).get("at")
        bought = snapshot.get("bought_categories") or {}
        dates = [bought[str(cid)] for cid in params["category_ids"] if str(cid) in bought]
        return max(dates, default=None)

    def describe(self, params):
        if params["when"] == EVER:
            return _("Bought %(target)s") % params
        if params["when"] == WITHIN:
            return _("Bought %(target)s in the last %(days)s days") % params
        return _("Has not bought %(target)s in the last %(days)s days") % params


class OrderLimitsRule(Rule):
    """Limits on a number of orders and their total, which subclasses count."""

    min_orders = blocks.IntegerBlock(min_value=0, required=False, label=_("At least (orders)"))
    max_orders = blocks.IntegerBlock(min_value=0, required=False, label=_("At most (orders)"))
    min_total = blocks.DecimalBlock(
        min_value=0, required=False, decimal_places=2, label=_("Spent at least")
    )

    def params(self, value):
        params = super().params(value)
        params["min_total"] = None if params["min_total"] is None else str(params["min_total"])
        return params

    @staticmethod
    def within_limits(params, count, total):
        return (
            (params["min_orders"] is None or count >= params["min_orders"])
            and (params["max_orders"] is None or count <= params["max_orders"])
            and (params["min_total"] is None or total >= Decimal(params["min_total"]))
        )

    @staticmethod
    def limits_text(params):
        parts = []
        if params["min_orders"] is not None:
            parts.append(_("at least %(n)s orders") % {"n": params["min_orders"]})
        if params["max_orders"] is not None:
            parts.append(_("at most %(n)s orders") % {"n": params["max_orders"]})
        if params["min_total"] is not None:
            parts.append(_("spent at least %(n)s") % {"n": params["min_total"]})
        return ", ".join(str(part) for part in parts) or str(_("any number of orders"))


class OrdersRule(OrderLimitsRule):
    """Lifetime orders (online and in store) and spend."""

    class Meta:
        icon = "list-ul"
        label = _("Orders and spend, lifetime")

    def test(self, params, subject):
        orders = subject.snapshot.get("orders") or {}
        return self.within_limits(params, orders.get("count", 0), Decimal(orders.get("total", "0")))

    def describe(self, params):
        return _("Lifetime: %(limits)s") % {"limits": self.limits_text(params)}


class RecentOrdersRule(OrderLimitsRule, HistoryRule):
    """Orders (online and in store) and spend in the last D days."""

    days = days_field()
    kinds = ("order_placed",)

    class Meta:
        icon = "list-ul"
        label = _("Orders and spend, last D days")

    def watches(self, params, event):
        return event.kind in self.kinds

    def keep(self, params):
        return 200

    def evidence_value(self, event):
        return str(event.value or 0)

    def decide(self, params, evidence):
        total = sum((Decimal(value) for _, value in evidence), Decimal("0"))
        return self.within_limits(params, len(evidence), total)

    def describe(self, params):
        return _("Last %(days)s days: %(limits)s") % {
            "days": params["days"],
            "limits": self.limits_text(params),
        }


class InStoreShopperRule(Rule):
    """Has bought in one of the shop's stores (orders from the POS)."""

    times = times_field(_("At least this many store orders"))

    class Meta:
        icon = "home"
        label = _("Shops in store")

    def test(self, params, subject):
        return (subject.snapshot.get("orders") or {}).get("store_count", 0) >= params["times"]

    def describe(self, params):
        return _("Placed %(times)s+ orders in store") % params
