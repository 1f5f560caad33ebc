"""The candidate products, fetched at once with what Oscar's strategy and product card read."""

from django.db.models import Exists, OuterRef, Prefetch
from oscar.core.loading import get_model

Option = get_model("catalogue", "Option")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")


def fetch_products(product_ids):
    """``{id: product}``: one query for the products, one per prefetched relation.

    Prefetched: stock records (the strategy's ``select_stockrecord``), a parent's public
    children with theirs (``fetch_for_parent``), the images (the card's primary image);
    the option flags are annotated as Oscar's ``base_queryset`` does (``has_options``).
    """
    if not product_ids:
        return {}
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
