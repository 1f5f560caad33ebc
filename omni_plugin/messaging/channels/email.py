"""Email, through Oscar's ``Dispatcher`` and a ``CommunicationEventType`` per intent, so a
shop edits the texts in Oscar's dashboard like its order emails."""

import json

from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core.mail import get_connection
from django.core.serializers.json import DjangoJSONEncoder
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

    def send_many(self, messages):
        """Each message sent over one connection to the mail server for the whole chunk.
        The templates get no recipient's data, so messages saying the same thing (one
        restock to everyone waiting) are rendered once."""
        emails = _Renderer()
        users = _accounts(messages)
        with get_connection() as connection:
            dispatcher = Dispatcher(mail_connection=connection)
            outcomes = []
            for message in messages:
                outcome = _send(message, emails.render(message), users, dispatcher)
                if outcome.result == FAILED:
                    connection.close()  # the next message opens a fresh one
                outcomes.append(outcome)
        return outcomes


class _Renderer:
    """The emails of a chunk of messages, each different content rendered once."""

    def __init__(self):
        self.site = Site.objects.get_current()
        self.event_types = {}
        self.rendered = {}

    def render(self, message):
        intent = get_intent(message.intent)
        content = message.content
        key = (intent.name, json.dumps(content, sort_keys=True, cls=DjangoJSONEncoder))
        if key not in self.rendered:
            code = intent.email_code
            if code not in self.event_types:
                self.event_types[code] = _event_type(code)
            messages = _rendered(
                self.event_types[code],
                {
                    **content,
                    "url": absolute(content["url"]),
                    "image": absolute(content["image"]),
                    "intent": intent.label,
                    "site": self.site,
                },
            )
            if not messages["subject"] or not (messages["body"] or messages["html"]):
                messages = f"The email {code} has no subject or no body."
            self.rendered[key] = messages
        return self.rendered[key]


def address_of(snapshot):
    """The profile's email address, unless mail to it has bounced."""
    address = snapshot.get("email") or ""
    if address.lower() in snapshot.get("bounced_emails", ()):
        return ""
    return address


def _send(message, email, users, dispatcher):
    """Send the rendered ``email`` (or the reason there is none) to the message's customer."""
    if isinstance(email, str):
        return Outcome(FAILED, email)
    snapshot = message.profile.snapshot
    address = address_of(snapshot)
    user = users.get(snapshot.get("user_id"))
    try:
        # Oscar keeps the email in the account's history when it goes to the account's address.
        if user is not None and user.email.lower() == address.lower():
            dispatcher.send_user_email_messages(user, email)
        else:
            dispatcher.send_email_messages(address, email)
    except OSError as error:  # smtplib's errors are OSErrors
        return Outcome(FAILED, f"The mail server refused it: {error}")
    return Outcome(SENT, address)


def _event_type(code):
    """The dashboard's email of this code, or an unsaved one that renders its files."""
    return CommunicationEventType.objects.filter(code=code).first() or CommunicationEventType(
        code=code
    )


def _rendered(event_type, context):
    """The intent's email; for an intent with neither templates nor a dashboard row (one a
    shop registered), the plugin's shared message email."""
    messages = event_type.get_messages(context)
    if messages["subject"]:
        return messages
    return {
        "subject": render_to_string(SHARED_TEMPLATES["subject"], context).strip(),
        "body": render_to_string(SHARED_TEMPLATES["body"], context),
        "html": render_to_string(SHARED_TEMPLATES["html"], context),
        "sms": "",
    }


def _accounts(messages):
    """The accounts of the messages' customers, by id."""
    user_ids = {message.profile.snapshot.get("user_id") for message in messages} - {None}
    if not user_ids:
        return {}
    return get_user_model().objects.in_bulk(user_ids)
