"""Oscar's own ``ProductAlert``, alongside the plugin's alerts.

With ``OMNI_ALERTS_TAKE_OVER_OSCAR`` the plugin sends them: after the stock is saved, by
the customer's channels, once per person even when they asked both ways. An alert is
closed once its message is on its way; when no channel of the plugin can take it, Oscar
tells the customer as it would have, so no alert is ever closed untold. Without the
setting, or with ``OMNI_ENABLED`` False, Oscar sends them itself, as it would without the
plugin. Oscar's eager receiver is disconnected once; the plugin's own stock receiver
calls it when Oscar keeps its alerts, so either setting can change at run time.
"""

from django.conf import settings
from django.db.models.signals import post_save
from oscar.core.loading import get_class, get_model

from omni_plugin.conf import omni_settings
from omni_plugin.core.identity import account_profile
from omni_plugin.core.merging import root_of
from omni_plugin.core.orders import join_email
from omni_plugin.messaging.errors import MessagingError
from omni_plugin.messaging.models import Message
from omni_plugin.messaging.sending import send_message

from .stock import is_available

#: What became of a message that is on its way or was given: its alert can be closed.
ON_ITS_WAY = {Message.Status.SENT, Message.Status.SENDING, Message.Status.DEFERRED}


def taken_over():
    return omni_settings.ENABLED and omni_settings.ALERTS_TAKE_OVER_OSCAR


def _oscar_receiver():
    return get_class("customer.alerts.receivers", "send_product_alerts")


def disconnect_oscar_receiver():
    post_save.disconnect(_oscar_receiver(), sender=get_model("partner", "StockRecord"))


def let_oscar_send(sender, instance, created, **kwargs):
    """What Oscar would do on a stock record's save, while it keeps its own alerts."""
    if not kwargs.get("raw") and not taken_over() and settings.OSCAR_EAGER_ALERTS:
        _oscar_receiver()(sender, instance, created, **kwargs)


def has_waiting(product_ids):
    ProductAlert = get_model("customer", "ProductAlert")
    return ProductAlert.objects.filter(
        product_id__in=product_ids, status=ProductAlert.ACTIVE
    ).exists()


def serve(product, asked_about, told, now):
    """Send Oscar's active alerts on ``asked_about`` through the messaging layer and close
    them; people in ``told`` (profile ids) hear it from the plugin's alerts, and Oscar tells
    those no channel of the plugin reaches. How many fired."""
    from .dispatch import back_in_stock_content

    ProductAlert = get_model("customer", "ProductAlert")
    fired = 0
    alerts = ProductAlert.objects.filter(product_id__in=asked_about, status=ProductAlert.ACTIVE)
    for alert in alerts.select_related("product", "user").order_by("date_created", "pk"):
        if not is_available(product):
            break
        profile_id = root_of(
            account_profile(alert.user_id) if alert.user_id else join_email(None, alert.email)
        )
        if profile_id in told:
            alert.close()
            continue
        try:
            message = send_message(
                "back_in_stock",
                profile_id,
                back_in_stock_content(alert.product, product, None),
                key=f"oscar_alert:{alert.pk}",
                first_channel="email",
                now=now,
            )
        except MessagingError:
            message = None  # an erased profile: Oscar still has the alert's address
        if message is not None and message.status in ON_ITS_WAY:
            told.add(profile_id)
            alert.close()
        else:
            let_oscar_tell(alert)
        fired += 1
    return fired


def let_oscar_tell(alert):
    """Tell one alert's customer the way Oscar tells them (its notice and its email), and
    close the alert."""
    oscar = get_class("customer.alerts.utils", "AlertsDispatcher")()
    context = oscar.get_extra_context_for_alert(alert, hurry_mode=False)
    if alert.user:
        oscar.notify_user_about_product_alert(alert.user, context)
    messages = oscar.dispatcher.get_messages(oscar.PRODUCT_ALERT_EVENT_CODE, context)
    if messages and messages["body"]:
        if alert.user:
            oscar.dispatcher.dispatch_user_messages(alert.user, messages)
        else:
            oscar.dispatcher.dispatch_direct_messages(alert.get_email_address(), messages)
    alert.close()
