import oscar.apps.shipping.apps as apps


class ShippingConfig(apps.ShippingConfig):
    """Oscar's shipping app, forked so that the shop offers click and collect."""

    name = "sandbox.shipping"
