"""Segments are recompiled, and memberships refreshed, when an editor changes one.
Recommended products are read again when a product, its stock or its images change, and
category names when a category changes."""

import logging
from functools import wraps

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from oscar.core.loading import get_model

from .compiled import forget_compiled
from .models import Segment
from .recs.explanations import category_names
from .recs.products import forget_products
from .tasks import refresh_segments

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")

logger = logging.getLogger(__name__)


def never_failing(receiver):
    """The receiver, in a savepoint, never failing the shop's own save: what goes wrong is
    logged, and the cached product expires within ``PRODUCT_TIMEOUT`` anyway."""

    @wraps(receiver)
    def guarded(sender, instance, **kwargs):
        try:
            with transaction.atomic():
                receiver(sender, instance, **kwargs)
        except Exception:
            logger.exception("%s failed on %r; the save went on.", receiver.__name__, instance)

    return guarded


@receiver(post_save, sender=Segment)
@receiver(post_delete, sender=Segment)
def segment_changed(sender, **kwargs):
    forget_compiled()
    transaction.on_commit(forget_compiled)  # a reader may have cached the old ones meanwhile
    transaction.on_commit(refresh_segments.enqueue)


@receiver(post_save, sender=Category)
@receiver(post_delete, sender=Category)
def category_changed(sender, **kwargs):
    category_names.forget()
    transaction.on_commit(category_names.forget)  # a reader may have kept the old names


@receiver(post_save, sender=Product)
@receiver(post_delete, sender=Product)
@never_failing
def product_changed(sender, instance, **kwargs):
    # A parent's cached product holds its public variants.
    forget_products([instance.pk, instance.parent_id])


@receiver(post_save, sender=StockRecord)
@receiver(post_delete, sender=StockRecord)
@never_failing
def stock_changed(sender, instance, **kwargs):
    parent_id = (
        Product.objects.filter(pk=instance.product_id).values_list("parent_id", flat=True).first()
    )
    forget_products([instance.product_id, parent_id])


@receiver(post_save, sender=ProductImage)
@receiver(post_delete, sender=ProductImage)
@never_failing
def image_changed(sender, instance, **kwargs):
    forget_products([instance.product_id])
