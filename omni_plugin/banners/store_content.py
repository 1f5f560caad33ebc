"""The products of the banners that know stores and alerts, registered as content
providers: what the visitor can collect at their store, and what is back in stock for them."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from omni_plugin.geo.distance import haversine_km
from omni_plugin.personalization.recommendations import Recommendation, recommend
from omni_plugin.stores.alerts.stock import is_available
from omni_plugin.stores.chosen import chosen_store_code
from omni_plugin.stores.models import StockAlert, Store
from omni_plugin.stores.nearest import nearest_stores
from omni_plugin.stores.phrases import format_distance
from omni_plugin.stores.strategy import in_stock_at
from omni_plugin.stores.visitor import visitor_geo

#: How long after its alert fired a product counts as back in stock for the visitor.
BACK_FOR = timedelta(days=14)
#: Candidates looked at per product shown: most of a visitor's recommendations are in stock.
CANDIDATES_PER_ITEM = 4


def collect_nearby_products(request, content, product=None, limit=4):
    """Products for the visitor (similar to the page's, else for them) that their store,
    the one they chose or the nearest offering click and collect, has in stock."""
    store, km = visitor_pickup_store(request)
    if store is None:
        return []
    strategy = "similar" if product is not None else "for_you"
    candidates = recommend(
        strategy, request=request, product=product, limit=limit * CANDIDATES_PER_ITEM
    )
    stocked = in_stock_at(store, [candidate.product.pk for candidate in candidates])
    if km is None:
        reason = _("In stock at %(store)s") % {"store": store.name}
    else:
        reason = _("In stock at %(store)s, %(distance)s away") % {
            "store": store.name,
            "distance": format_distance(km),
        }
    return [
        Recommendation(candidate.product, candidate.score, reason, "collect_nearby")
        for candidate in candidates
        if candidate.product.pk in stocked
    ][:limit]


def back_in_stock_products(request, content, product=None, limit=4):
    """Products the visitor's alerts said were back lately and that still are."""
    omni = getattr(request, "omni", None)
    profile = omni.profile if omni is not None else None
    if profile is None:
        return []
    fired = (
        StockAlert.objects.filter(
            profile_id=profile.id,
            kind=StockAlert.Kind.BACK_IN_STOCK,
            status=StockAlert.Status.SENT,
            closed_at__gte=timezone.now() - BACK_FOR,
        )
        .select_related("product", "store")
        .order_by("-closed_at")[: limit * 2]
    )
    items, shown = [], set()
    for alert in fired:
        if alert.product_id in shown or not is_available(alert.product, alert.store):
            continue
        shown.add(alert.product_id)
        reason = (
            _("Back at %(store)s") % {"store": alert.store.name}
            if alert.store_id
            else _("Back in stock")
        )
        items.append(Recommendation(alert.product, 1.0, reason, "back_in_stock"))
    return items[:limit]


def visitor_pickup_store(request):
    """(store, km or None) where the visitor would collect: their chosen store when it
    offers click and collect, else the nearest that does; (None, None) when neither is known."""
    pickup = Store.objects.filter(active=True, pickup_enabled=True)
    code = chosen_store_code(request)
    chosen = pickup.filter(code=code).first() if code else None
    coordinates = visitor_geo(request).coordinates
    if chosen is not None:
        return chosen, None if coordinates is None else haversine_km(
            coordinates, chosen.coordinates
        )
    if coordinates is None:
        return None, None
    nearest = nearest_stores(coordinates, limit=1, queryset=pickup)
    return nearest[0] if nearest else (None, None)
