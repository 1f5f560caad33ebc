"""The confirmation email of a click and collect order: Oscar's, with the store instead of
a delivery address.

It is its own communication event type, ``ORDER_PLACED_COLLECT``, so that it can be
edited in Oscar's dashboard like the usual ``ORDER_PLACED``; its templates are
``oscar/communication/emails/commtype_order_placed_collect_*``.
"""

import logging

from oscar.core.loading import get_class

OrderDispatcher = get_class("order.utils", "OrderDispatcher")

ORDER_PLACED_COLLECT = "ORDER_PLACED_COLLECT"

logger = logging.getLogger("oscar.checkout")


class ClickAndCollectOrderDispatcher(OrderDispatcher):
    ORDER_PLACED_EVENT_CODE = ORDER_PLACED_COLLECT


def send_click_and_collect_confirmation(order, context):
    """Send the customer the confirmation of ``order``, collected at its store."""
    ClickAndCollectOrderDispatcher(logger=logger).send_order_placed_email_for_user(order, context)
