"""What staff see of the shop next to a profile: product and category names, and links
to Oscar's dashboard (None when the shop does not serve it).

Oscar's models are looked up when used: this module is imported with the admin's hooks,
before the system checks can say that Oscar is missing.
"""

from django.urls import NoReverseMatch, reverse
from oscar.core.loading import get_model


def products_by_id(product_ids):
    Product = get_model("catalogue", "Product")
    return Product.objects.select_related("parent").in_bulk(set(product_ids))


def categories_by_id(category_ids):
    Category = get_model("catalogue", "Category")
    return Category.objects.in_bulk(set(category_ids))


def product_url(product_id):
    return _dashboard_url("dashboard:catalogue-product", pk=product_id)


def order_url(order_number):
    return _dashboard_url("dashboard:order-detail", number=order_number)


def user_url(user_id):
    return _dashboard_url("dashboard:user-detail", pk=user_id)


def _dashboard_url(name, **kwargs):
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None
