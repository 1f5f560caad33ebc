"""Building the recommendation model and storing it so that readers never see half of it.

A build writes its rows under a new ``RecommendationModel`` in ``building`` state, then
turns it ``ready`` in one transaction. Readers only ever read the newest ready build, so
they see the previous model until that moment and the whole new one after it. The build
it replaced is kept (a reader may still hold it from the cache) and older ones go.
"""

import logging
import time

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from omni_plugin.conf import omni_settings

from ..models import ProductRecommendations, RecommendationModel, TrendingProducts
from . import store
from .interactions import read_interactions, variant_parents
from .model import build_model

logger = logging.getLogger(__name__)

WRITE_BATCH = 1000
Status = RecommendationModel.Status


@task()
def build_recommendations():
    """Build the model in the background; returns what the build counted."""
    build = build_and_store()
    return {"model": build.pk, "products": build.products, "interactions": build.interactions}


def build_and_store(*, progress=None, as_of=None):
    """Build a new model from all events and make it the one served.

    ``as_of`` (an aware datetime) builds it as it would have been then: from the events
    before it only, their ages counted from it.
    ``progress`` is an optional tqdm-like ``progress(iterable, total=..., desc=...)``.
    A failed build is marked ``failed`` with its error, and the served model stays.
    """
    started = time.perf_counter()
    build = RecommendationModel.objects.create(similarity=omni_settings.RECS_SIMILARITY)
    try:
        parents = variant_parents()
        now = (as_of or timezone.now()).timestamp()
        interactions = read_interactions(parents)
        if as_of is not None:
            interactions = interactions.before(now)
        item_model = build_model(
            interactions,
            similarity=build.similarity,
            half_life_days=omni_settings.RECS_HALF_LIFE_DAYS,
            neighbours=omni_settings.RECS_NEIGHBOURS,
            trending_days=omni_settings.RECS_TRENDING_DAYS,
            now=now,
            progress=progress,
            ease_l2=omni_settings.RECS_EASE_L2,
            ease_products=omni_settings.RECS_EASE_PRODUCTS,
        )
        _write_rows(build, item_model, progress)
        build.variants = {
            child: parent for child, parent in parents.items() if parent in item_model.popularity
        }
        build.interactions = item_model.stats["interactions"]
        build.customers = item_model.stats["users"]
        build.products = item_model.stats["products"]
        build.duration = round(time.perf_counter() - started, 3)
        _publish(build)
    except Exception as error:
        _fail(build, error)
        raise
    return build


def _write_rows(build, item_model, progress):
    product_ids = sorted(
        set(item_model.popularity)
        | set(item_model.related)
        | set(item_model.bought_with)
        | set(item_model.repeat_rate)
    )
    starts = range(0, len(product_ids), WRITE_BATCH)
    if progress:
        starts = progress(starts, total=len(starts), desc="storing")
    # One transaction per batch: a single long one would hold SQLite's write lock for the
    # whole build. Nobody reads a build before it is ready.
    for start in starts:
        ProductRecommendations.objects.bulk_create(
            _row(build, item_model, product_id)
            for product_id in product_ids[start : start + WRITE_BATCH]
        )
    TrendingProducts.objects.bulk_create(
        TrendingProducts(model=build, scope=scope, product_ids=product_ids)
        for scope, product_ids in item_model.trending.items()
    )


def _row(build, item_model, product_id):
    return ProductRecommendations(
        model=build,
        product_id=product_id,
        related=_pairs(item_model.related.get(product_id, [])),
        bought_with=_pairs(item_model.bought_with.get(product_id, [])),
        popularity=item_model.popularity.get(product_id, 0.0),
        repeat_rate=item_model.repeat_rate.get(product_id, 0.0),
    )


def _pairs(neighbours):
    return [[product_id, round(score, 6)] for product_id, score in neighbours]


def _publish(build):
    with transaction.atomic():
        replaced = (
            RecommendationModel.objects.filter(status=Status.READY)
            .order_by("-finished_at", "-id")
            .values_list("id", flat=True)
            .first()
        )
        build.status = Status.READY
        build.finished_at = timezone.now()
        build.save()
    older = RecommendationModel.objects.filter(pk__lt=build.pk)
    (older.exclude(pk=replaced) if replaced else older).delete()
    transaction.on_commit(store.forget_model)
    logger.info(
        "Recommendation model #%s is ready: %s products from %s interactions in %ss.",
        build.pk,
        build.products,
        build.interactions,
        build.duration,
    )


def _fail(build, error):
    logger.exception("Recommendation model #%s failed to build.", build.pk)
    ProductRecommendations.objects.filter(model=build).delete()
    TrendingProducts.objects.filter(model=build).delete()
    RecommendationModel.objects.filter(pk=build.pk).update(
        status=Status.FAILED, finished_at=timezone.now(), error=f"{type(error).__name__}: {error}"
    )
