"""Browse left: a product viewed again and again, never put in the basket nor bought."""

from datetime import datetime, timedelta

from django.db.models import Count, Max
from django.utils.translation import gettext as _

from ..facts import product_facts
from .base import (
    RESTART_ACTIVE,
    Enrolment,
    Trigger,
    current_snapshots,
    enrol_runs,
    events_between,
)

VIEWED = "product_viewed"


class BrowseLeft(Trigger):
    """One run per customer and product, waiting from the latest view."""

    name = "browse_left"
    intent = "browse_left"
    placeholders = ("product", "price", "count")

    def enrol(self, journey, since, until):
        recent = events_between([VIEWED], since, until).exclude(product_id=None)
        candidates = set(recent.values_list("profile_id", "product_id").distinct())
        if not candidates:
            return 0
        viewed_from = until - timedelta(days=journey.lookback_days)
        views = (
            events_between([VIEWED], viewed_from, until)
            .filter(
                profile_id__in={pair[0] for pair in candidates},
                product_id__in={pair[1] for pair in candidates},
            )
            .values("profile_id", "product_id")
            .annotate(views=Count("id"), latest=Max("occurred_at"))
        )
        often = [
            row
            for row in views
            if (row["profile_id"], row["product_id"]) in candidates
            and row["views"] >= journey.min_views
        ]
        snapshots = current_snapshots(row["profile_id"] for row in often)
        enrolments = []
        for row in often:
            snapshot = snapshots.get(row["profile_id"])
            product_id = row["product_id"]
            if snapshot is None or _in_basket(snapshot, product_id):
                continue
            if _bought_since(snapshot, product_id, viewed_from):
                continue
            context = {
                "product": product_id,
                "views": row["views"],
                "viewed_from": viewed_from.isoformat(),
            }
            enrolments.append(
                Enrolment(row["profile_id"], f"product:{product_id}", row["latest"], context)
            )
        return enrol_runs(journey, enrolments, restart=RESTART_ACTIVE)

    def stop_reason(self, run, profile, now):
        product_id = run.context["product"]
        if _in_basket(profile.snapshot, product_id):
            return _("The product was added to the basket.")
        viewed_from = datetime.fromisoformat(run.context["viewed_from"])
        if _bought_since(profile.snapshot, product_id, viewed_from):
            return _("The product was bought.")
        if product_facts(product_id) is None:
            return _("The product is no longer in the catalogue.")
        return None

    def values(self, run, profile):
        product = product_facts(run.context["product"])
        return (
            {"product": product["title"], "price": product["price"], "count": run.context["views"]},
            product["url"],
        )


def _in_basket(snapshot, product_id):
    return product_id in ((snapshot.get("basket") or {}).get("products") or [])


def _bought_since(snapshot, product_id, moment):
    bought = (snapshot.get("purchased") or {}).get(str(product_id))
    return bought is not None and datetime.fromisoformat(bought["at"]) >= moment
