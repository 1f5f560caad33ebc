"""The click and collect step of the checkout: the visitor chooses the store."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import generic
from oscar.core.loading import get_class, get_model

from .checkout import ClickAndCollectSessionMixin
from .chosen import chosen_store_code
from .phrases import OpeningStatus, format_distance
from .pickup import pickup_stores, refusal, supplying_stores
from .shipping import CLICK_AND_COLLECT
from .visitor import chosen_first, stores_near, visitor_geo

CheckoutSessionMixin = get_class("checkout.session", "CheckoutSessionMixin")


class StoreChoiceForm(forms.Form):
    store = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, basket, **kwargs):
        super().__init__(*args, **kwargs)
        self.basket = basket

    def clean_store(self):
        stores = get_model("omni_stores", "Store").objects
        store = stores.filter(pk=self.cleaned_data["store"]).first()
        reason = refusal(self.basket, store)
        if reason:
            raise forms.ValidationError(reason)
        return store


class ChooseStoreView(ClickAndCollectSessionMixin, CheckoutSessionMixin, generic.FormView):
    """The checkout step of click and collect: the stores that can hand the basket over,
    the visitor's store first, then the nearest, each with its opening status."""

    template_name = "omni/stores/checkout/choose_store.html"
    form_class = StoreChoiceForm
    pre_conditions = [
        "check_basket_is_not_empty",
        "check_basket_is_valid",
        "check_user_email_is_captured",
    ]

    def get(self, request, *args, **kwargs):
        if not self.get_store_rows():
            messages.warning(
                request, _("No store can hand over your basket: please give a delivery address.")
            )
            return redirect("checkout:shipping-address")
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "basket": self.request.basket}

    def get_store_rows(self):
        """(store, distance, opening status) of each store the visitor may collect from."""
        if not hasattr(self, "_store_rows"):
            pairs = chosen_first(
                stores_near(pickup_stores(), visitor_geo(self.request).coordinates),
                chosen_store_code(self.request),
            )
            supplying = set(supplying_stores(self.request.basket, [store for store, _ in pairs]))
            now = timezone.now()
            self._store_rows = [
                (store, None if km is None else format_distance(km), OpeningStatus.of(store, now))
                for store, km in pairs
                if store in supplying
            ]
        return self._store_rows

    def get_context_data(self, **kwargs):
        return super().get_context_data(store_rows=self.get_store_rows(), **kwargs)

    def form_valid(self, form):
        self.checkout_session.reset_shipping_data()
        self.checkout_session.use_shipping_method(CLICK_AND_COLLECT)
        self.pickup_session.collect_at(form.cleaned_data["store"])
        return redirect("checkout:payment-method")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)
