"""Who recommendations are for: their profile (if they let it personalise), basket and place."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.core.cache import caches
from django.utils import timezone
from oscar.core.loading import get_class

from omni_plugin.conf import omni_settings
from omni_plugin.core.catalogue import category_ids_of
from omni_plugin.core.consent import allows
from omni_plugin.core.models import Event

from .model import KIND_WEIGHTS
from .products import fetch_products

Selector = get_class("partner.strategy", "Selector")

#: The newest events of a profile that "for you" starts from.
HISTORY_EVENTS = 200
HISTORY_TIMEOUT = 60 * 30


@dataclass
class Shopper:
    """The profile's snapshot ({} without one, or without consent to personalise), the
    product being looked at, the basket's products, the place and Oscar's strategy."""

    snapshot: dict = field(default_factory=dict)
    profile_id: int | None = None
    profile_version: int = 0
    product: object = None
    basket_product_ids: list = field(default_factory=list)
    country: str = ""
    region: str = ""
    strategy: object = None
    now: datetime = field(default_factory=timezone.now)
    #: ``memo(key, compute)``: the request's, so that the strips of a page share what
    #: they read (the model, category names), or else no memo at all.
    memo: Callable = field(default=lambda key, compute: compute(), repr=False)

    @classmethod
    def of(cls, *, request=None, profile=None, product=None, basket=None):
        """The shopper of ``request``; ``profile`` and ``basket`` win over the request's."""
        omni = getattr(request, "omni", None)
        if profile is None and omni is not None:
            profile = omni.profile
        snapshot = getattr(profile, "snapshot", None) or {}
        personal = profile is not None and allows(snapshot, "personalisation")
        snapshot = snapshot if personal else {}
        geo = omni.geo if omni is not None and omni.geo.known else None
        place = {"country": geo.country, "region": geo.region} if geo else snapshot.get("geo", {})
        if basket is None and request is not None:
            basket = getattr(request, "basket", None)
        return cls(
            snapshot=snapshot,
            profile_id=profile.id if personal else None,
            profile_version=getattr(profile, "version", 0),
            product=product,
            basket_product_ids=_basket_products(basket, snapshot),
            country=place.get("country") or "",
            region=place.get("region") or "",
            strategy=getattr(request, "strategy", None) or Selector().strategy(request=request),
            **({"memo": omni.memo} if omni is not None else {}),
        )

    @cached_property
    def focus(self):
        """The product the page is about: the one shown, else the newest in the basket (id)."""
        if self.product is not None:
            return self.product
        return self.basket_product_ids[-1] if self.basket_product_ids else None

    @cached_property
    def focus_category_ids(self):
        focus = self.focus
        if focus is None:
            return []
        if not hasattr(focus, "pk"):
            # A basket's product: the cached product tells whether it is a variant.
            focus = fetch_products([focus]).get(focus, focus)
        return category_ids_of(focus)

    def history(self):
        """The profile's newest (product id, weight, unix time) interactions."""
        if self.profile_id is None:
            return []
        cache = caches[omni_settings.CACHE_ALIAS]
        key = f"omni:recs:history:{self.profile_id}:{self.profile_version}"
        history = cache.get(key)
        if history is None:
            history = list(_interactions(self.profile_id))
            cache.set(key, history, HISTORY_TIMEOUT)
        return history


def _basket_products(basket, snapshot):
    if basket is not None:
        return [line.product_id for line in basket.all_lines()] if basket.id else []
    return list(snapshot.get("basket", {}).get("products", []))


def _interactions(profile_id):
    events = Event.objects.filter(profile_id=profile_id, kind__in=KIND_WEIGHTS).values_list(
        "kind", "product_id", "occurred_at", "data"
    )[:HISTORY_EVENTS]
    for kind, product_id, occurred_at, data in events:
        if kind == "order_placed":
            product_ids = [line.get("product_id") for line in data.get("lines", [])]
        else:
            product_ids = [product_id]
        for pid in product_ids:
            if pid is not None:
                yield (pid, KIND_WEIGHTS[kind], occurred_at.timestamp())
