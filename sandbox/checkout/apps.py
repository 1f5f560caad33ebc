import oscar.apps.checkout.apps as apps


class CheckoutConfig(apps.CheckoutConfig):
    """Oscar's checkout app, forked so that customers can collect their order in a store."""

    name = "sandbox.checkout"
