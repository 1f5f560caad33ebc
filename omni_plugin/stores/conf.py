"""The stores app's settings: click and collect and back-in-stock alerts."""

from omni_plugin.conf import Setting, boolean, non_empty_str, positive_int, register_settings

register_settings(
    {
        "PICKUP_ALLOW_TRANSFERS": Setting(
            default=False,
            doc="Whether click and collect may be chosen at any pickup store, even one that "
            "cannot supply the whole basket from its own stock (it is restocked by transfer).",
            validate=boolean,
        ),
        "PICKUP_HOLD_DAYS": Setting(
            default=7,
            doc="Days a click and collect order is kept at the store once it is ready; then "
            "it expires and its stock is released.",
            validate=positive_int,
        ),
        "PICKUP_READY_STATUS": Setting(
            default="Ready for collection",
            doc="The Oscar order status a click and collect order moves to when it is ready.",
            validate=non_empty_str,
        ),
        "PICKUP_COLLECTED_STATUS": Setting(
            default="Collected",
            doc="The Oscar order status a click and collect order moves to when it is collected.",
            validate=non_empty_str,
        ),
        "PICKUP_EXPIRED_STATUS": Setting(
            default="Not collected",
            doc="The Oscar order status a click and collect order moves to when its hold ran out.",
            validate=non_empty_str,
        ),
        "PICKUP_RETURNED_STATUS": Setting(
            default="Returned",
            doc="The Oscar order status a collected click and collect order moves to when the "
            "customer brings it back to the store.",
            validate=non_empty_str,
        ),
        "ALERTS_TAKE_OVER_OSCAR": Setting(
            default=True,
            doc="The plugin sends Oscar's own product alerts too, after the stock is saved "
            "and through the customer's channels, and its form replaces Oscar's on the "
            "product page.",
            validate=boolean,
        ),
        "ALERTS_UNCONFIRMED_DAYS": Setting(
            default=3,
            doc="Days an anonymous visitor's email alert waits for its address to be "
            "confirmed before it is deleted.",
            validate=positive_int,
        ),
    }
)
