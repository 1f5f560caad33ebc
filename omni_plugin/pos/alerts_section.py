"""The customer's waiting alerts in the summary a till sees: staff can sell a product the
customer waits for when their store has it."""

from omni_plugin.stores.models import StockAlert
from omni_plugin.stores.strategy import in_stock_at


def waiting_alerts(customer):
    alerts = list(
        StockAlert.objects.filter(profile_id=customer.profile.id, status=StockAlert.Status.ACTIVE)
        .select_related("product", "store")
        .order_by("-created_at")
    )
    here = in_stock_at(customer.store, [alert.product_id for alert in alerts])
    return [
        {
            "product": alert.product_id,
            "title": alert.product.get_title(),
            "store": alert.store.code if alert.store_id else "",
            "kind": alert.kind,
            "asked_at": alert.created_at,
            "in_stock_here": alert.product_id in here,
        }
        for alert in alerts
    ]
