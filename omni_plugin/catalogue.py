"""Facts about Oscar products the plugin needs on every event, cached across requests."""

from django.core.cache import caches
from oscar.core.loading import get_model

from .conf import omni_settings

CACHE_TIMEOUT = 60 * 60


def category_ids_of(product):
    """The ids of a product's categories (a variant's are its parent's): one cache hit."""
    # Oscar's models are looked up on use: the system checks import this module to say
    # that Oscar is missing, if it is.
    Product = get_model("catalogue", "Product")
    ProductCategory = get_model("catalogue", "ProductCategory")
    if isinstance(product, Product):
        owner_id = product.parent_id or product.pk
    else:
        owner_id = Product.objects.filter(pk=product).values_list("parent_id", flat=True).first()
        owner_id = owner_id or product
    cache = caches[omni_settings.CACHE_ALIAS]
    key = f"omni:product-categories:{owner_id}"
    category_ids = cache.get(key)
    if category_ids is None:
        category_ids = sorted(
            ProductCategory.objects.filter(product_id=owner_id).values_list(
                "category_id", flat=True
            )
        )
        cache.set(key, category_ids, CACHE_TIMEOUT)
    return category_ids
