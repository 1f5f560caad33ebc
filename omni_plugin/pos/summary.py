"""What a till shows about a customer: one section per part of the summary.

Each section is a function of the ``Customer`` (the profile as read once, and the store
asking), registered in ``SECTIONS`` under the key it has in the answer; another part of
the shop adds its own with ``register_section`` (and a field on
``serializers.CustomerSummarySerializer`` to document it).
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q
from oscar.core.loading import get_model

from omni_plugin.core import snapshot as snapshots
from omni_plugin.core.models import Event, Profile
from omni_plugin.core.profiles import CachedProfile
from omni_plugin.personalization.recommendations import recommend
from omni_plugin.personalization.segmenting import segments_for_profile

from .customers import reference
from .pickups import open_pickups_at, pickup_summary

FAVOURITE_CATEGORIES = 3
RECOMMENDATIONS = 4
#: Recommendations asked for per one offered, as those not in the store's stock are dropped.
RECOMMENDATIONS_OVERFETCH = 3


@dataclass
class Customer:
    profile: CachedProfile
    store: object

    @property
    def snapshot(self):
        return self.profile.snapshot


def summarise(profile_id, store):
    """The summary of the profile for ``store``'s till, section by section."""
    snapshot, version = Profile.objects.values_list("snapshot", "version").get(pk=profile_id)
    customer = Customer(CachedProfile(profile_id, snapshot, version), store)
    return {name: section(customer) for name, section in SECTIONS.items()}


def register_section(name, section):
    """Add ``section(customer)`` to every summary, under ``name``."""
    SECTIONS[name] = section


def customer_id(customer):
    return reference(customer.profile.id)


def name(customer):
    """The account's full name, else the name given at enrolment, else empty."""
    user_id = customer.snapshot.get("user_id")
    if user_id:
        user = get_user_model().objects.filter(pk=user_id).first()
        if user is not None and user.get_full_name():
            return user.get_full_name()
    return customer.snapshot.get("name", "")


def consents(customer):
    return {
        purpose: {"status": decision["status"], "source": decision["source"], "at": decision["at"]}
        for purpose, decision in customer.snapshot.get("consents", {}).items()
    }


def segments(customer):
    return [
        {"id": membership.segment_id, "name": membership.name}
        for membership in segments_for_profile(customer.snapshot)
    ]


def favourite_categories(customer):
    Category = get_model("catalogue", "Category")
    strongest = list(snapshots.decayed_affinities(customer.snapshot))[:FAVOURITE_CATEGORIES]
    names = dict(Category.objects.filter(pk__in=strongest).values_list("pk", "name"))
    return [{"id": pk, "name": names[pk]} for pk in strongest if pk in names]


def open_pickups(customer):
    """The customer's click and collect orders at this store not yet collected."""
    numbers = Event.objects.filter(
        profile_id=customer.profile.id, kind="order_placed", channel=Event.Channel.WEB
    ).values("order_number")
    whose = Q(order__number__in=numbers)
    if customer.snapshot.get("user_id"):
        whose |= Q(order__user_id=customer.snapshot["user_id"])
    return [pickup_summary(pickup) for pickup in open_pickups_at(customer.store).filter(whose)]


def recommendations(customer):
    """What to offer: the customer's recommendations that the store has in stock."""
    StockRecord = get_model("partner", "StockRecord")
    found = recommend(
        "for_you",
        profile=customer.profile,
        limit=RECOMMENDATIONS * RECOMMENDATIONS_OVERFETCH,
    )
    stock = {
        product_id: sku
        for product_id, sku, in_stock, allocated in StockRecord.objects.filter(
            partner_id=customer.store.partner_id, product_id__in=[r.product.pk for r in found]
        ).values_list("product_id", "partner_sku", "num_in_stock", "num_allocated")
        if (in_stock or 0) - (allocated or 0) > 0
    }
    return [
        {
            "product": r.product.pk,
            "title": r.product.get_title(),
            "upc": r.product.upc or "",
            "sku": stock[r.product.pk],
            "reason": r.reason,
        }
        for r in found
        if r.product.pk in stock
    ][:RECOMMENDATIONS]


SECTIONS = {
    "id": customer_id,
    "name": name,
    "consents": consents,
    "segments": segments,
    "favourite_categories": favourite_categories,
    "open_pickups": open_pickups,
    "recommendations": recommendations,
}
