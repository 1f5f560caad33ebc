"""Click and collect in Oscar's checkout: mixins that let Oscar's own checkout views skip
the delivery address for a store, and allocate the order at that store.

A shop uses them in its forked ``checkout`` app's ``views.py``, in front of Oscar's views
(see docs/stores.md); the store is chosen at the plugin's own step, ``omni:checkout_store``
(``omni_plugin.stores.checkout_views``). Models are looked up when used, as in ``omni_plugin.stores.pickup``.
"""

from django.db import transaction
from django.urls import reverse
from oscar.core.loading import get_class, get_model

from .checkout_session import PickupSession
from .emails import send_click_and_collect_confirmation
from .pickup import pickup_stockrecords, refusal, supplying_stores
from .shipping import CLICK_AND_COLLECT, is_click_and_collect

FailedPreCondition = get_class("checkout.exceptions", "FailedPreCondition")
UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")


class ClickAndCollectSessionMixin:
    """For every checkout view: a click and collect order has a store instead of an address."""

    @property
    def pickup_session(self):
        return PickupSession(self.checkout_session)

    def is_click_and_collect(self, basket=None):
        basket = basket or self.request.basket
        return self.checkout_session.shipping_method_code(basket) == CLICK_AND_COLLECT

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pickup_store"] = (
            self.pickup_session.store() if self.is_click_and_collect() else None
        )
        return context

    def get_shipping_address(self, basket):
        if self.is_click_and_collect(basket):
            return None
        return super().get_shipping_address(basket)

    def check_shipping_data_is_captured(self, request):
        if not self.is_click_and_collect():
            return super().check_shipping_data_is_captured(request)
        reason = refusal(request.basket, self.pickup_session.store())
        if reason:
            raise FailedPreCondition(url=reverse("omni:checkout_store"), message=reason)
        self.check_a_valid_shipping_method_is_captured()


class ClickAndCollectOfferMixin:
    """For the shipping address step: offers collecting in a store instead, when one can."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["click_and_collect_available"] = bool(supplying_stores(self.request.basket))
        return context


class DeliveryMethodsMixin:
    """For the shipping method step: the delivery methods only, as the store step chooses
    click and collect."""

    def get_available_shipping_methods(self):
        methods = super().get_available_shipping_methods()
        return [method for method in methods if not is_click_and_collect(method)]


class ClickAndCollectPlacementMixin:
    """For the view that places the order: a click and collect order is allocated at its
    store and remembers it."""

    def place_order(self, *args, **kwargs):
        if not is_click_and_collect(kwargs.get("shipping_method")):
            return super().place_order(*args, **kwargs)
        basket = kwargs["basket"]
        store = self.pickup_session.store()
        reason = refusal(basket, store)
        if reason:
            raise UnableToPlaceOrder(reason)
        with transaction.atomic():
            # Oscar allocates each line at its stock record: the store's, where it has them.
            stockrecords = pickup_stockrecords(basket, store)
            for line in basket.all_lines():
                line.stockrecord = stockrecords[line.id]
            order = super().place_order(*args, **kwargs)
            get_model("omni_stores", "OrderPickup").for_order(order, store)
        return order

    def send_order_placed_email(self, order):
        if not hasattr(order, "pickup"):
            return super().send_order_placed_email(order)
        send_click_and_collect_confirmation(order, self.get_message_context(order))
