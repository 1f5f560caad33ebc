"""Oscar's checkout views, with click and collect."""

from oscar.apps.checkout import views

from omni_plugin.stores.checkout import (
    ClickAndCollectOfferMixin,
    ClickAndCollectPlacementMixin,
    ClickAndCollectSessionMixin,
    DeliveryMethodsMixin,
)


class ShippingAddressView(
    ClickAndCollectOfferMixin, ClickAndCollectSessionMixin, views.ShippingAddressView
):
    pass


class ShippingMethodView(
    DeliveryMethodsMixin, ClickAndCollectSessionMixin, views.ShippingMethodView
):
    pass


class PaymentMethodView(ClickAndCollectSessionMixin, views.PaymentMethodView):
    pass


class PaymentDetailsView(
    ClickAndCollectPlacementMixin, ClickAndCollectSessionMixin, views.PaymentDetailsView
):
    pass
