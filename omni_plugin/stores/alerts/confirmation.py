"""The email that asks an anonymous visitor to confirm the address an alert will write to,
as Oscar does for its own alerts: Oscar's ``Dispatcher`` and a communication event type,
``OMNI_STOCK_ALERT_CONFIRMATION``, that shops edit in the dashboard."""

import logging

from django.contrib.sites.models import Site
from django.urls import reverse
from oscar.core.loading import get_class, get_model

from omni_plugin.messaging.content import absolute

CONFIRMATION = "OMNI_STOCK_ALERT_CONFIRMATION"

logger = logging.getLogger("oscar.alerts")


def send_confirmation(alert):
    CommunicationEventType = get_model("communication", "CommunicationEventType")
    Dispatcher = get_class("communication.utils", "Dispatcher")
    context = {
        "alert": alert,
        "product": alert.product,
        "store": alert.store,
        "site": Site.objects.get_current(),
        "confirm_url": absolute(reverse("omni:stock_alert_confirm", args=[alert.key])),
        "cancel_url": absolute(reverse("omni:stock_alert_cancel", args=[alert.key])),
    }
    messages = CommunicationEventType.objects.get_and_render(CONFIRMATION, context)
    Dispatcher(logger=logger).send_email_messages(alert.email, messages)
