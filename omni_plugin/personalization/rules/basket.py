"""Rules about the basket in progress."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from omni_plugin.core.catalogue import category_ids_of

from .base import Rule
from .targets import TargetRule


class BasketValueRule(Rule):
    min_value = blocks.DecimalBlock(min_value=0, required=False, label=_("At least"))
    max_value = blocks.DecimalBlock(min_value=0, required=False, label=_("At most"))

    class Meta:
        icon = "pick"
        label = _("Basket value")

    def params(self, value):
        return {
            name: None if value.get(name) is None else str(value[name])
            for name in ("min_value", "max_value")
        }

    def test(self, params, subject):
        basket = subject.snapshot.get("basket") or {}
        if not basket.get("lines"):
            return False
        total = Decimal(basket.get("value", "0"))
        low, high = params["min_value"], params["max_value"]
        return (low is None or total >= Decimal(low)) and (high is None or total <= Decimal(high))

    def describe(self, params):
        low, high = params["min_value"], params["max_value"]
        if low is not None and high is not None:
            return _("Basket worth %(low)s to %(high)s") % {"low": low, "high": high}
        if low is not None:
            return _("Basket worth at least %(low)s") % {"low": low}
        if high is not None:
            return _("Basket worth at most %(high)s") % {"high": high}
        return _("Has a basket")


class BasketContainsRule(TargetRule):
    class Meta:
        icon = "pick"
        label = _("Basket contains a product or category")

    def test(self, params, subject):
        products = (subject.snapshot.get("basket") or {}).get("products", ())
        if params["product"]:
            return params["product"] in products
        return any(self.concerns(params, pid, category_ids_of(pid)) for pid in products)

    def describe(self, params):
        return _("Has %(target)s in the basket") % params
