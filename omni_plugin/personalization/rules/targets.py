"""Rules about a product or a category (with its subcategories)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.blocks.struct_block import StructBlockValidationError

from ..chooser_blocks import CategoryChooserBlock, ProductChooserBlock
from .base import Rule


class TargetRule(Rule):
    """A rule with a product or a category to choose: exactly one of the two."""

    product = ProductChooserBlock(required=False)
    category = CategoryChooserBlock(
        required=False, help_text=_("Counts its subcategories too. Choose this or a product.")
    )

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("product")) == bool(value.get("category")):
            message = _("Choose a product or a category, not both and not neither.")
            raise StructBlockValidationError(block_errors={"product": ValidationError(message)})
        return value

    def params(self, value):
        params = super().params(value)
        category = value.get("category")
        params["target"] = str(value.get("product") or category)
        params["category_ids"] = frozenset(
            category.get_descendants_and_self().values_list("pk", flat=True) if category else ()
        )
        return params

    @staticmethod
    def concerns(params, product_id, category_ids):
        """Whether a product (by id and category ids) is the rule's target."""
        if params["product"]:
            return product_id == params["product"]
        return not params["category_ids"].isdisjoint(category_ids)
