"""The products a till names: by Oscar product id, by UPC, or by the store's own SKU."""

from django.utils.translation import gettext as _
from oscar.core.loading import get_model

#: The ways a line names its product; it gives exactly one.
REFERENCES = ("product", "upc", "sku")


def reference_of(item):
    """``(how, value)`` of the one reference ``item`` gives."""
    return next((how, item[how]) for how in REFERENCES if item.get(how) not in (None, ""))


def resolve_products(store, references):
    """``{(how, value): (product id, title)}`` for the references that name a product:
    one query per kind of reference used."""
    Product = get_model("catalogue", "Product")
    StockRecord = get_model("partner", "StockRecord")
    wanted = {how: {value for kind, value in references if kind == how} for how in REFERENCES}
    found = {}
    if wanted["product"]:
        rows = Product.objects.filter(pk__in=wanted["product"]).values_list(
            "pk", "pk", "title", "parent__title"
        )
        found.update(_named("product", rows))
    if wanted["upc"]:
        rows = Product.objects.filter(upc__in=wanted["upc"]).values_list(
            "upc", "pk", "title", "parent__title"
        )
        found.update(_named("upc", rows))
    if wanted["sku"]:
        rows = StockRecord.objects.filter(
            partner_id=store.partner_id, partner_sku__in=wanted["sku"]
        ).values_list("partner_sku", "product_id", "product__title", "product__parent__title")
        found.update(_named("sku", rows))
    return found


def unknown_product_message(how, value):
    return {
        "product": _("There is no product #%(value)s."),
        "upc": _("There is no product with the UPC %(value)s."),
        "sku": _("The store has no product with the SKU %(value)s."),
    }[how] % {"value": value}


def _named(how, rows):
    return {(how, key): (pk, title or parent_title or "") for key, pk, title, parent_title in rows}
