"""The candidate products, with what Oscar's strategy and product card read, cached.

Each product is cached on its own, keyed by its id only, with its stock records, images
and public variants (and theirs). A product's entry in the shared cache is stored under a
version, a random token that the receivers replace whenever the product, one of its
variants, stock records or images is saved or deleted. Each process keeps the products
it last used with their versions: a warm strip reads the versions of its candidates in
one round trip to the cache, and neither unpickles nor queries anything. Oscar's strategy
runs on the cached stock records on every call, so availability and price are never
cached for one customer.
"""

import copy
import uuid
from typing import NamedTuple

from django.core.cache import caches
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from oscar.core.loading import get_model

from omni_plugin.conf import omni_settings

Option = get_model("catalogue", "Option")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")

#: How long a product is served without a change being signalled: the safety net for
#: writes that send no signal (``QuerySet.update``).
PRODUCT_TIMEOUT = 60 * 10
#: How many products a process keeps; past that it starts again.
KEPT = 2000
#: Stored for an id without a product, so that a deleted product costs no query either.
GONE = "gone"

#: product id -> (version, product or GONE), as this process last read them.
_kept = {}


def _cache():
    return caches[omni_settings.CACHE_ALIAS]


def _version_key(product_id):
    return f"omni:recs:product-version:{product_id}"


def _entry_key(product_id, version):
    return f"omni:recs:product:{product_id}:{version}"


class KeptProduct(NamedTuple):
    """A product as this process keeps it for every call: to read, never to change."""

    version: str
    product: object

    def own_copy(self):
        """A copy of the product for the caller to change and render, with its version."""
        product = copy.copy(self.product)
        product._omni_recs_version = self.version
        return product


def fetch_products(product_ids):
    """``{id: product}`` of those of ``product_ids`` that exist, each a copy of its own."""
    return {pid: kept.own_copy() for pid, kept in read_products(product_ids).items()}


def read_products(product_ids):
    """``{id: KeptProduct}`` of those of ``product_ids`` that exist.

    Warm: one read of the shared cache. Products changed since this process read them
    come from the shared cache, or else cost one query plus one per prefetched relation.
    """
    if not product_ids:
        return {}
    cache = _cache()
    version_keys = {pid: _version_key(pid) for pid in product_ids}
    found = cache.get_many(version_keys.values())
    versions = {pid: found.get(key) for pid, key in version_keys.items()}
    unversioned = {pid: uuid.uuid4().hex for pid, version in versions.items() if version is None}
    if unversioned:
        for pid, token in unversioned.items():
            cache.add(version_keys[pid], token, PRODUCT_TIMEOUT)
        again = cache.get_many([version_keys[pid] for pid in unversioned])
        # A cache that keeps nothing still serves this call with the tokens made here.
        versions.update(
            {pid: again.get(version_keys[pid], token) for pid, token in unversioned.items()}
        )

    entries = {}
    stale = []
    for pid, version in versions.items():
        kept = _kept.get(pid)
        if kept is not None and kept[0] == version:
            entries[pid] = kept[1]
        else:
            stale.append(pid)
    if stale:
        entries.update(_shared_entries(cache, {pid: versions[pid] for pid in stale}))
    return {
        pid: KeptProduct(versions[pid], product)
        for pid, product in entries.items()
        if product != GONE
    }


def version_of(product):
    """The version of a product that ``fetch_products`` returned; None for any other."""
    return getattr(product, "_omni_recs_version", None)


def _shared_entries(cache, versions):
    """``{id: product or GONE}`` from the shared cache, or else from the database."""
    keys = {pid: _entry_key(pid, version) for pid, version in versions.items()}
    cached = cache.get_many(keys.values())
    entries = {pid: cached[key] for pid, key in keys.items() if key in cached}
    missing = [pid for pid in keys if pid not in entries]
    if missing:
        queried = query_products(missing)
        loaded = {pid: queried.get(pid, GONE) for pid in missing}
        cache.set_many({keys[pid]: entry for pid, entry in loaded.items()}, PRODUCT_TIMEOUT)
        entries.update(loaded)
    if len(_kept) + len(entries) > KEPT:
        _kept.clear()
    _kept.update({pid: (versions[pid], entry) for pid, entry in entries.items()})
    return entries


def forget_products(product_ids):
    """Read these products from the database on their next use, in every process."""
    keys = [_version_key(pid) for pid in set(product_ids) if pid is not None]
    if not keys:
        return

    def new_versions():
        _cache().set_many({key: uuid.uuid4().hex for key in keys}, PRODUCT_TIMEOUT)

    new_versions()
    # A reader may have cached the rows as they were before this change was committed.
    transaction.on_commit(new_versions)


def drop_kept():
    """Forget this process's copies (they are checked against the shared cache anyway)."""
    _kept.clear()


def query_products(product_ids):
    """``{id: product}``: one query for the products, one per prefetched relation.

    Prefetched: stock records (the strategy's ``select_stockrecord``), a parent's public
    children with theirs (``fetch_for_parent``), the images (the card's primary image);
    the option flags are annotated as Oscar's ``base_queryset`` does (``has_options``).
    """
    public_children = Product.objects.public().prefetch_related("stockrecords")
    products = (
        Product.objects.filter(pk__in=product_ids)
        .select_related("product_class", "parent__product_class")
        .annotate(
            has_product_class_options=Exists(
                Option.objects.filter(productclass=OuterRef("product_class"))
            ),
            has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
        )
        .prefetch_related(
            "stockrecords",
            "images",
            Prefetch("children", queryset=public_children, to_attr="_prefetched_public_children"),
        )
    )
    return {product.pk: product for product in products}


def is_available(product, strategy):
    """Whether Oscar's strategy lets the customer buy ``product`` now."""
    if product.is_parent:
        info = strategy.fetch_for_parent(product)
    else:
        info = strategy.fetch_for_product(product)
    return info.availability.is_available_to_buy


def categories_of(products):
    """``{product id: set of category ids}``; a variant's are its parent's. One query."""
    owners = {product.pk: product.parent_id or product.pk for product in products}
    by_owner = {}
    for product_id, category_id in ProductCategory.objects.filter(
        product_id__in=set(owners.values())
    ).values_list("product_id", "category_id"):
        by_owner.setdefault(product_id, set()).add(category_id)
    return {pid: by_owner.get(owner, set()) for pid, owner in owners.items()}
