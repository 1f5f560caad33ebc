"""What a journey's messages say about products and categories: titles, prices, pages."""

from oscar.core.loading import get_class, get_model
from oscar.templatetags.currency_filters import currency


def product_facts(product_id):
    """A product's title, page and price as a customer sees them; None if it is gone."""
    Product = get_model("catalogue", "Product")
    product = Product.objects.filter(pk=product_id).first()
    if product is None:
        return None
    # Oscar's classes are looked up on use: the admin imports this module even when Oscar
    # is missing, for system check omni.E001 to say so.
    Selector = get_class("partner.strategy", "Selector")
    info = Selector().strategy().fetch_for_product(product)
    price = info.price
    amount = price.incl_tax if price.exists and price.is_tax_known else price.excl_tax
    return {
        "title": product.get_title(),
        "url": product.get_absolute_url(),
        "price": currency(amount, price.currency) if price.exists else "",
    }


def category_facts(category_ids):
    """The name and page of the first of ``category_ids`` that still exists, or None."""
    Category = get_model("catalogue", "Category")
    categories = Category.objects.in_bulk(list(category_ids))
    for category_id in category_ids:
        if category_id in categories:
            category = categories[category_id]
            return {"name": category.name, "url": category.get_absolute_url()}
    return None
