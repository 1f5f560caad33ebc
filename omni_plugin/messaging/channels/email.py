"""Email, through Oscar's ``Dispatcher`` and a ``CommunicationEventType`` per intent, so a
shop edits the texts in Oscar's dashboard like its order emails."""

from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from oscar.core.loading import get_class, get_model

from omni_plugin.core.consent import Purpose

from ..content import absolute
from ..intents import get_intent
from .base import FAILED, SENT, Channel, Outcome

CommunicationEventType = get_model("communication", "CommunicationEventType")
Dispatcher = get_class("communication.utils", "Dispatcher")

SHARED_TEMPLATES = {
    "subject": "oscar/communication/emails/omni_message_subject.txt",
    "body": "oscar/communication/emails/omni_message_body.txt",
    "html": "oscar/communication/emails/omni_message_body.html",
}


class EmailChannel(Channel):
    name = "email"
    label = "Email"
    consent_purpose = Purpose.EMAIL

    def reaches(self, profile, snapshot):
        return bool(address_of(snapshot))

    def send(self, message, profile, snapshot):
        address = address_of(snapshot)
        intent = get_intent(message.intent)
        content = message.content
        messages = _rendered(
            intent,
            {
                **content,
                "url": absolute(content["url"]),
                "image": absolute(content["image"]),
                "intent": intent.label,
                "site": _site(),
            },
        )
        if not messages["subject"] or not (messages["body"] or messages["html"]):
            return Outcome(FAILED, f"The email {intent.email_code} has no subject or no body.")
        dispatcher = Dispatcher()
        user = _user_with_address(snapshot, address)
        try:
            if user is not None:
                dispatcher.send_user_email_messages(user, messages)
            else:
                dispatcher.send_email_messages(address, messages)
        except OSError as error:  # smtplib's errors are OSErrors
            return Outcome(FAILED, f"The mail server refused it: {error}")
        return Outcome(SENT, address)


def address_of(snapshot):
    """The profile's email address, unless mail to it has bounced."""
    address = snapshot.get("email") or ""
    if address.lower() in snapshot.get("bounced_emails", ()):
        return ""
    return address


def _rendered(intent, context):
    """The intent's email; for an intent with neither templates nor a dashboard row (one a
    shop registered), the plugin's shared message email."""
    messages = CommunicationEventType.objects.get_and_render(intent.email_code, context)
    if messages["subject"]:
        return messages
    return {
        "subject": render_to_string(SHARED_TEMPLATES["subject"], context).strip(),
        "body": render_to_string(SHARED_TEMPLATES["body"], context),
        "html": render_to_string(SHARED_TEMPLATES["html"], context),
        "sms": "",
    }


def _user_with_address(snapshot, address):
    """The customer's account when its address is the one written to: Oscar keeps the email
    in the account's email history."""
    user_id = snapshot.get("user_id")
    if user_id is None:
        return None
    return get_user_model().objects.filter(pk=user_id, email__iexact=address).first()


def _site():
    from django.contrib.sites.models import Site

    return Site.objects.get_current()
