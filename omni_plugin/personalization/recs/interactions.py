"""Reading the customers' events into the model's ``Interactions``, a chunk at a time.

Views and basket additions count once each; every line of an order, from the web shop or
a till, counts as a purchase in that order's basket. Variants count as their parent
product, so that recommendations point at the product page customers can open.
"""

from oscar.core.loading import get_model

from omni_plugin.core.models import Event, Profile

from .model import KIND_WEIGHTS, Interactions

Product = get_model("catalogue", "Product")

CHUNK = 2000
NO_BASKET = -1


def variant_parents():
    """Child product id to parent id, for every variant in the catalogue."""
    return dict(Product.objects.filter(parent__isnull=False).values_list("id", "parent_id"))


def profile_places():
    """Each placed profile's "country" or "country/region", from its snapshot's geo."""
    rows = (
        Profile.objects.filter(snapshot__geo__country__gt="")
        .values_list("id", "snapshot__geo__country", "snapshot__geo__region")
        .iterator(chunk_size=CHUNK)
    )
    return {pid: f"{country}/{region}" if region else country for pid, country, region in rows}


def read_interactions(parents=None, places=None):
    """Every view, basket addition and order line of the profiles, as ``Interactions``."""
    parents = variant_parents() if parents is None else parents
    places = profile_places() if places is None else places
    return Interactions.from_rows(_rows(parents, places))


def _rows(parents, places):
    browsing = (
        Event.objects.filter(
            profile__isnull=False,
            product_id__isnull=False,
            kind__in=["product_viewed", "basket_addition"],
        )
        .order_by()
        .values_list("profile_id", "kind", "product_id", "occurred_at")
        .iterator(chunk_size=CHUNK)
    )
    for profile_id, kind, product_id, occurred_at in browsing:
        yield (
            profile_id,
            parents.get(product_id, product_id),
            KIND_WEIGHTS[kind],
            occurred_at.timestamp(),
            NO_BASKET,
            places.get(profile_id, ""),
        )
    orders = (
        Event.objects.filter(profile__isnull=False, kind="order_placed")
        .order_by()
        .values_list("id", "profile_id", "occurred_at", "data")
        .iterator(chunk_size=CHUNK)
    )
    weight = KIND_WEIGHTS["order_placed"]
    for event_id, profile_id, occurred_at, data in orders:
        for line in data.get("lines", []):
            product_id = line.get("product_id")
            if product_id is None:
                continue  # a line whose product was deleted from the catalogue
            yield (
                profile_id,
                parents.get(product_id, product_id),
                weight,
                occurred_at.timestamp(),
                event_id,
                places.get(profile_id, ""),
            )
