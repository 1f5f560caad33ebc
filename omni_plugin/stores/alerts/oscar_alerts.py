"""Oscar's own ``ProductAlert``, alongside the plugin's alerts.

With ``OMNI_ALERTS_TAKE_OVER_OSCAR`` the plugin sends them: after the stock is saved, by
the customer's channels, once per person even when they asked both ways. An alert is
closed once its message is on its way; when no channel of the plugin can take it, Oscar
tells the customer as it would have, so no alert is ever closed untold. Without the
setting, or with ``OMNI_ENABLED`` False, Oscar sends them itself, as it would without the
plugin. Oscar's eager receiver is disconnected once; the plugin's own stock receiver
calls it when Oscar keeps its alerts, so either setting can change at run time.
"""

from collections import defaultdict

from django.conf import settings
from django.db.models.signals import post_save
from oscar.core.loading import get_class, get_model

from omni_plugin.conf import omni_settings
from omni_plugin.core.identity import account_profile
from omni_plugin.core.merging import root_of
from omni_plugin.core.orders import join_email
from omni_plugin.messaging.models import Message
from omni_plugin.messaging.sending import Outgoing, send_messages

from .stock import is_available

#: Oscar's alerts served by one chunk of messages.
CHUNK = 500
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
    """Send Oscar's active alerts on ``asked_about`` through the messaging layer, a chunk
    at a time, and close them; people in ``told`` (profile ids) hear it from the plugin's
    alerts, and Oscar tells those no channel of the plugin reaches. How many fired."""
    ProductAlert = get_model("customer", "ProductAlert")
    alerts = list(
        ProductAlert.objects.filter(product_id__in=asked_about, status=ProductAlert.ACTIVE)
        .select_related("product", "user")
        .order_by("date_created", "pk")
    )
    fired = 0
    for start in range(0, len(alerts), CHUNK):
        if not is_available(product):
            break
        fired += _serve_chunk(product, alerts[start : start + CHUNK], told, now)
    return fired


def _serve_chunk(product, alerts, told, now):
    """One message per person of the chunk not told yet, by the alert they asked first;
    their other alerts close with it."""
    from .dispatch import back_in_stock_content

    ProductAlert = get_model("customer", "ProductAlert")
    closed, first_of, others = [], {}, defaultdict(list)
    for alert in alerts:
        profile_id = root_of(
            account_profile(alert.user_id) if alert.user_id else join_email(None, alert.email)
        )
        if profile_id in told:
            closed.append(alert)
        elif profile_id in first_of:
            others[profile_id].append(alert)
        else:
            first_of[profile_id] = alert
    results = send_messages(
        "back_in_stock",
        [
            Outgoing(
                profile_id,
                back_in_stock_content(alert.product, product, None),
                key=f"oscar_alert:{alert.pk}",
                first_channel="email",
            )
            for profile_id, alert in first_of.items()
        ],
        now=now,
    )
    for (profile_id, alert), message in zip(first_of.items(), results):
        if isinstance(message, Message) and message.status in ON_ITS_WAY:
            told.add(profile_id)
            closed += [alert, *others[profile_id]]
        else:  # an erased profile, or no channel of the plugin: Oscar has the address
            for untold in (alert, *others[profile_id]):
                let_oscar_tell(untold)
    ProductAlert.objects.filter(pk__in=[alert.pk for alert in closed]).update(
        status=ProductAlert.CLOSED, date_closed=now
    )
    return len(first_of)


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
