"""StreamField blocks to choose an Oscar product or category, with the admin's choosers.

The widget comes from the chooser viewsets on first use, so that the models (and the
system checks that import them) do not load Wagtail's admin.
"""

from functools import cached_property

from wagtail import blocks


class ProductChooserBlock(blocks.ChooserBlock):
    target_model = "catalogue.Product"

    @cached_property
    def widget(self):
        from .choosers import product_chooser_viewset

        return product_chooser_viewset.widget_class()

    class Meta:
        icon = "tag"


class CategoryChooserBlock(blocks.ChooserBlock):
    target_model = "catalogue.Category"

    @cached_property
    def widget(self):
        from .choosers import category_chooser_viewset

        return category_chooser_viewset.widget_class()

    class Meta:
        icon = "folder-open-inverse"
