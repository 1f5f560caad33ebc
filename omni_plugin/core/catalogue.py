"""Facts about Oscar products the plugin needs on every event, cached across requests."""

from django.core.cache import caches
from oscar.core.loading import get_model

from omni_plugin.conf import omni_settings

from .context import current_request

CACHE_TIMEOUT = 60 * 60


def _cache_key(owner_id):
    return f"omni:product-categories:{owner_id}"


def category_ids_of(product):
    """The ids of a product's categories (a variant's are its parent's): one cache hit,
    once per request."""
    # Oscar's models are looked up on use: the system checks import this module to say
    # that Oscar is missing, if it is.
    Product = get_model("catalogue", "Product")
    ProductCategory = get_model("catalogue", "ProductCategory")
    if isinstance(product, Product):
        owner_id = product.parent_id or product.pk
    else:
        owner_id = Product.objects.filter(pk=product).values_list("parent_id", flat=True).first()
        owner_id = owner_id or product
    key = _cache_key(owner_id)

    def cached():
        cache = caches[omni_settings.CACHE_ALIAS]
        category_ids = cache.get(key)
        if category_ids is None:
            category_ids = sorted(
                ProductCategory.objects.filter(product_id=owner_id).values_list(
                    "category_id", flat=True
                )
            )
            cache.set(key, category_ids, CACHE_TIMEOUT)
        return category_ids

    # The page's tracking and its recommendation strips ask about the same product.
    omni = getattr(current_request.get(), "omni", None)
    return omni.memo(f"{__name__}:{key}", cached) if omni is not None else cached()


def category_ids_of_many(product_ids):
    """``{product id: category ids}`` for many products, in a few queries at most."""
    Product = get_model("catalogue", "Product")
    ProductCategory = get_model("catalogue", "ProductCategory")
    owners = {
        pk: parent_id or pk
        for pk, parent_id in Product.objects.filter(pk__in=product_ids).values_list(
            "pk", "parent_id"
        )
    }
    cache = caches[omni_settings.CACHE_ALIAS]
    cached = cache.get_many([_cache_key(owner) for owner in set(owners.values())])
    by_owner = {
        owner: cached[_cache_key(owner)] for owner in owners.values() if _cache_key(owner) in cached
    }
    missing = set(owners.values()) - set(by_owner)
    if missing:
        found = {owner: [] for owner in missing}
        for owner, category_id in ProductCategory.objects.filter(
            product_id__in=missing
        ).values_list("product_id", "category_id"):
            found[owner].append(category_id)
        found = {owner: sorted(ids) for owner, ids in found.items()}
        cache.set_many({_cache_key(owner): ids for owner, ids in found.items()}, CACHE_TIMEOUT)
        by_owner.update(found)
    return {pk: by_owner[owner] for pk, owner in owners.items()}
