"""Choosers for Oscar's products and categories, for segment rules and banners.

Oscar's models are not in Wagtail's search index, so the chooser searches by title (and
UPC for products) in the database.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet


class TitleSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Search term"),
        widget=forms.TextInput(attrs={"placeholder": _("Search")}),
        required=False,
    )
    search_fields = ("name",)

    def filter(self, objects):
        query = self.cleaned_data.get("q")
        if not query:
            return objects
        self.is_searching, self.search_query = True, query
        matches = Q()
        for field in self.search_fields:
            matches |= Q(**{f"{field}__icontains": query})
        return objects.filter(matches)


class ProductSearchForm(TitleSearchForm):
    search_fields = ("title", "upc")


class ProductChooseView(ChooseView):
    filter_form_class = ProductSearchForm


class ProductChooseResultsView(ChooseResultsView):
    filter_form_class = ProductSearchForm


class CategoryChooseView(ChooseView):
    filter_form_class = TitleSearchForm


class CategoryChooseResultsView(ChooseResultsView):
    filter_form_class = TitleSearchForm


# Models by name, resolved when first used: the system checks import this module to say
# that Oscar is missing, if it is.
class ProductChooserViewSet(ChooserViewSet):
    model = "catalogue.Product"
    icon = "tag"
    choose_one_text = _("Choose a product")
    choose_another_text = _("Choose another product")
    choose_view_class = ProductChooseView
    choose_results_view_class = ProductChooseResultsView
    create_action_label = None

    def get_object_list(self):
        return get_model("catalogue", "Product").objects.browsable().order_by("title")


class CategoryChooserViewSet(ChooserViewSet):
    model = "catalogue.Category"
    icon = "folder-open-inverse"
    choose_one_text = _("Choose a category")
    choose_another_text = _("Choose another category")
    choose_view_class = CategoryChooseView
    choose_results_view_class = CategoryChooseResultsView

    def get_object_list(self):
        return get_model("catalogue", "Category").objects.order_by("path")


product_chooser_viewset = ProductChooserViewSet("omni_product_chooser")
category_chooser_viewset = CategoryChooserViewSet("omni_category_chooser")
