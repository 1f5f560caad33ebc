"""Oscar's own ``ProductAlert``, alongside the plugin's alerts.

With ``OMNI_ALERTS_TAKE_OVER_OSCAR`` the plugin sends them: after the stock is saved, by
the customer's channels, once per person even when they asked both ways. Without it
Oscar sends them itself, as it would without the plugin, and the plugin offers alerts at
a store only. Oscar's eager receiver is disconnected once; the plugin's own stock
receiver calls it when Oscar keeps its alerts, so the setting can change at run time.
"""

from django.conf import settings
from django.db.models.signals import post_save
from oscar.core.loading import get_class, get_model

from omni_plugin.conf import omni_settings
from omni_plugin.core.merging import root_of
from omni_plugin.core.orders import join_email, profile_of_user
from omni_plugin.messaging.errors import MessagingError
from omni_plugin.messaging.sending import send_message

from .stock import is_available


def taken_over():
    return omni_settings.ALERTS_TAKE_OVER_OSCAR


def _oscar_receiver():
    return get_class("customer.alerts.receivers", "send_product_alerts")


def disconnect_oscar_receiver():
    post_save.disconnect(_oscar_receiver(), sender=get_model("partner", "StockRecord"))


def let_oscar_send(sender, instance, created, **kwargs):
    """What Oscar would do on a stock record's save, while it keeps its own alerts."""
    if not taken_over() and settings.OSCAR_EAGER_ALERTS:
        _oscar_receiver()(sender, instance, created, **kwargs)


def has_waiting(product_ids):
    ProductAlert = get_model("customer", "ProductAlert")
    return ProductAlert.objects.filter(
        product_id__in=product_ids, status=ProductAlert.ACTIVE
    ).exists()


def serve(product, asked_about, told, now):
    """Send Oscar's active alerts on ``asked_about`` through the messaging layer and close
    them; people in ``told`` (profile ids) hear it from the plugin's alerts. How many fired."""
    from .dispatch import back_in_stock_content

    ProductAlert = get_model("customer", "ProductAlert")
    fired = 0
    alerts = ProductAlert.objects.filter(product_id__in=asked_about, status=ProductAlert.ACTIVE)
    for alert in alerts.select_related("product", "user").order_by("date_created", "pk"):
        if not is_available(product):
            break
        profile_id = root_of(
            profile_of_user(alert.user_id) if alert.user_id else join_email(None, alert.email)
        )
        if profile_id not in told:
            try:
                send_message(
                    "back_in_stock",
                    profile_id,
                    back_in_stock_content(alert.product, product, None),
                    key=f"oscar_alert:{alert.pk}",
                    first_channel="email",
                    now=now,
                )
                told.add(profile_id)
                fired += 1
            except MessagingError:
                pass  # an erased person: closed unsent
        alert.close()
    return fired
