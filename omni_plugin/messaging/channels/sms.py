"""SMS, through the backend ``OMNI_SMS_BACKEND`` names, to the profile's newest phone number.

The text is the SMS template of the intent's ``CommunicationEventType`` (editable in Oscar's
dashboard), else the title, body and link; either way shortened to fit two SMS segments.
"""

from oscar.core.loading import get_model

from omni_plugin.core.consent import Purpose
from omni_plugin.core.models import Identifier

from ..content import absolute
from ..intents import get_intent
from ..sms import SMSError, get_backend
from .base import FAILED, SENT, Channel, Outcome

CommunicationEventType = get_model("communication", "CommunicationEventType")

#: Two concatenated GSM segments: longer texts cost more and arrive in pieces.
SMS_MAX = 306


class SMSChannel(Channel):
    name = "sms"
    label = "SMS"
    consent_purpose = Purpose.SMS

    def reaching(self, profiles):
        return set(
            Identifier.objects.filter(
                profile_id__in=[profile.pk for profile in profiles], kind=Identifier.Kind.PHONE
            ).values_list("profile_id", flat=True)
        )

    def send(self, message, profile, snapshot):
        try:
            get_backend().send(_phone(profile), sms_text(message))
        except SMSError as error:
            return Outcome(FAILED, f"The SMS gateway refused it: {error}")
        return Outcome(SENT)


def sms_text(message):
    """The text of the intent's SMS template, its body shortened so that the title, the
    body and the link fit in ``SMS_MAX`` characters."""
    content = message.content
    url = absolute(content["url"])
    room = SMS_MAX - len(f"{content['title']}: ") - len(f" {url}" if url else "")
    body = content["body"].strip()
    if len(body) > room:
        body = body[: room - 1].rstrip() + "…"
    context = {**content, "body": body, "url": url}
    rendered = CommunicationEventType.objects.get_and_render(
        get_intent(message.intent).email_code, context
    ).get("sms")
    text = (rendered or "").strip() or f"{content['title']}: {body}{f' {url}' if url else ''}"
    return text[:SMS_MAX]


def _phone(profile):
    return (
        Identifier.objects.filter(profile=profile, kind=Identifier.Kind.PHONE)
        .order_by("-created_at", "-pk")
        .values_list("value", flat=True)
        .first()
    )
