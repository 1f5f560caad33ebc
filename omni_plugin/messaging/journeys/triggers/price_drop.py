"""Price drop: a product the customer viewed lately, or wished for, got cheaper."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from omni_plugin.core.models import Identifier
from omni_plugin.messaging.models import PriceDrop

from ..facts import product_facts
from .base import Enrolment, Trigger, current_snapshots, enrol_runs, events_between


class PriceDropTrigger(Trigger):
    """One run per customer, product and new price, from the moment the price fell."""

    name = "price_drop"
    intent = "price_drop"
    placeholders = ("product", "price", "old_price", "percent")

    def enrol(self, journey, since, until):
        drops = PriceDrop.objects.filter(at__gt=since, at__lte=until).order_by("at", "pk")
        enrolments = []
        for drop in drops:
            if drop.percent < journey.min_drop_percent:
                continue
            interested = _viewers(drop, journey.lookback_days) | _wishers(drop.product_id)
            context = {
                "product": drop.product_id,
                "old_price": str(drop.old_price),
                "new_price": str(drop.new_price),
                "currency": drop.currency,
            }
            key = f"price_drop:{drop.product_id}:{drop.new_price}"
            enrolments += [
                Enrolment(profile_id, key, drop.at, context)
                for profile_id in current_snapshots(interested)
            ]
        return enrol_runs(journey, enrolments)

    def stop_reason(self, run, profile, now):
        bought = (profile.snapshot.get("purchased") or {}).get(str(run.context["product"]))
        if bought and datetime.fromisoformat(bought["at"]) >= run.started_at:
            return _("The product was bought.")
        if product_facts(run.context["product"]) is None:
            return _("The product is no longer in the catalogue.")
        return None

    def values(self, run, profile):
        context = run.context
        product = product_facts(context["product"])
        old, new = Decimal(context["old_price"]), Decimal(context["new_price"])
        return (
            {
                "product": product["title"],
                "price": currency(new, context["currency"]),
                "old_price": currency(old, context["currency"]),
                "percent": f"{(old - new) * 100 / old:.0f}%",
            },
            product["url"],
        )


def _viewers(drop, lookback_days):
    """The profiles that viewed the product in the days before its price fell."""
    views = events_between(
        ["product_viewed"], drop.at - timedelta(days=lookback_days), drop.at
    ).filter(product_id=drop.product_id)
    return set(views.values_list("profile_id", flat=True).distinct())


def _wishers(product_id):
    """The profiles of the customers who have the product in a wish list."""
    WishListLine = get_model("wishlists", "Line")
    owners = (
        WishListLine.objects.filter(product_id=product_id)
        .values_list("wishlist__owner_id", flat=True)
        .distinct()
    )
    return set(
        Identifier.objects.filter(
            kind=Identifier.Kind.USER, value__in=[str(owner) for owner in owners]
        ).values_list("profile_id", flat=True)
    )
