"""Reading the served (newest ready) model through the plugin's cache.

Everything cached is keyed by the build's id, so a new build is never mixed with an old
one. The build's summary costs two queries on a miss; the rows of any number of products, a
category's popular products or a product's similar products one more; nothing once cached.
Each process also keeps what it read of the served build, under a token made each time the
build is loaded, so a warm call reads only the build's summary from the shared cache.
"""

import uuid
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.cache import caches
from oscar.core.loading import get_model

from omni_plugin.conf import omni_settings
from omni_plugin.core.compiled_cache import CompiledCache

from ..models import ProductRecommendations, RecommendationModel, TrendingProducts

ProductCategory = get_model("catalogue", "ProductCategory")

ROW_TIMEOUT = 60 * 60
#: How many of the most popular products are kept, overall and per category.
POPULAR_KEPT = 60
#: How many rows and lists of the served build a process keeps; past that it starts again.
LOCAL_KEPT = 20000

#: (model token, cache key) -> value, for the builds this process served.
_local = {}


class ProductRow(NamedTuple):
    related: list
    bought_with: list
    popularity: float
    repeat_rate: float


EMPTY_ROW = ProductRow([], [], 0.0, 0.0)


@dataclass(frozen=True)
class ServedModel:
    """The served build's id, trending lists per scope and variants (child id to parent)."""

    id: int | None = None
    trending: dict = field(default_factory=dict)
    variants: dict = field(default_factory=dict)
    #: Made each time the build is loaded: what a process keeps of it is keyed by it.
    token: str = ""

    def canonical(self, product_id):
        """The product a recommendation shows for ``product_id``: a variant's parent."""
        return self.variants.get(product_id, product_id)


NO_MODEL = ServedModel()


def _cache():
    return caches[omni_settings.CACHE_ALIAS]


def served_model():
    """The newest ready build, or ``NO_MODEL`` before the first build: each process keeps
    the copy it last used, checking the shared version at most once a second."""
    return _served.get()


def forget_model():
    """Serve the newest ready build from the next read on, in every process."""
    _served.forget()


def _load_model():
    """The newest ready build, read from the database."""
    build = (
        RecommendationModel.objects.filter(status=RecommendationModel.Status.READY)
        .order_by("-finished_at", "-id")
        .values_list("id", "variants")
        .first()
    )
    if build is None:
        return NO_MODEL
    model_id, variants = build
    trending = dict(
        TrendingProducts.objects.filter(model_id=model_id).values_list("scope", "product_ids")
    )
    return ServedModel(
        model_id,
        trending,
        {int(child): parent for child, parent in variants.items()},
        uuid.uuid4().hex,
    )


_served = CompiledCache("recs-model", _load_model)


def _kept(model, key):
    return _local.get((model.token, key)) if model.token else None


def _keep(model, entries):
    if not model.token:
        return
    if len(_local) + len(entries) > LOCAL_KEPT:
        _local.clear()
    _local.update({(model.token, key): value for key, value in entries.items()})


def product_rows(model, product_ids):
    """``{product id: ProductRow}`` for ``product_ids``; products the model lacks get an empty row."""
    if model.id is None or not product_ids:
        return dict.fromkeys(product_ids, EMPTY_ROW)
    keys = {product_id: f"omni:recs:{model.id}:product:{product_id}" for product_id in product_ids}
    rows = {pid: _kept(model, key) for pid, key in keys.items()}
    rows = {pid: row for pid, row in rows.items() if row is not None}
    unkept = [key for pid, key in keys.items() if pid not in rows]
    if unkept:
        cached = _cache().get_many(unkept)
        shared = {pid: ProductRow(*cached[key]) for pid, key in keys.items() if key in cached}
        _keep(model, {keys[pid]: row for pid, row in shared.items()})
        rows.update(shared)
    missing = [pid for pid in product_ids if pid not in rows]
    if missing:
        found = {
            product_id: ProductRow(related, bought_with, popularity, repeat_rate)
            for product_id, related, bought_with, popularity, repeat_rate in (
                ProductRecommendations.objects.filter(
                    model_id=model.id, product_id__in=missing
                ).values_list("product_id", "related", "bought_with", "popularity", "repeat_rate")
            )
        }
        loaded = {pid: found.get(pid, EMPTY_ROW) for pid in missing}
        _cache().set_many({keys[pid]: tuple(row) for pid, row in loaded.items()}, ROW_TIMEOUT)
        _keep(model, {keys[pid]: row for pid, row in loaded.items()})
        rows.update(loaded)
    return rows


def popular(model, category_id=None):
    """``[(product id, popularity)]``, most popular first, overall or in one category."""
    if model.id is None:
        return []
    key = f"omni:recs:{model.id}:popular:{category_id or ''}"
    entry = _kept(model, key)
    if entry is not None:
        return entry
    entry = _cache().get(key)
    if entry is None:
        rows = ProductRecommendations.objects.filter(model_id=model.id, popularity__gt=0)
        if category_id is not None:
            rows = rows.filter(
                product_id__in=ProductCategory.objects.filter(category_id=category_id).values(
                    "product_id"
                )
            )
        entry = list(
            rows.order_by("-popularity", "product_id").values_list("product_id", "popularity")[
                :POPULAR_KEPT
            ]
        )
        _cache().set(key, entry, ROW_TIMEOUT)
    _keep(model, {key: entry})
    return entry


def similar_products(model, product_id, category_ids):
    """The product's related products that share one of ``category_ids``, best first."""
    if model.id is None or not category_ids:
        return []
    key = f"omni:recs:{model.id}:similar:{product_id}"
    entry = _kept(model, key)
    if entry is not None:
        return entry
    entry = _cache().get(key)
    if entry is None:
        related = product_rows(model, [product_id])[product_id].related
        sharing = set(
            ProductCategory.objects.filter(
                category_id__in=category_ids, product_id__in=[pid for pid, _ in related]
            ).values_list("product_id", flat=True)
        )
        entry = [(pid, score) for pid, score in related if pid in sharing]
        _cache().set(key, entry, ROW_TIMEOUT)
    _keep(model, {key: entry})
    return entry
