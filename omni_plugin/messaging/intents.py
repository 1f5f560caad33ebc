"""What a message is for: its intent decides the consent it needs and how long it matters.

Service messages answer something the customer did or asked for (an alert, an order
collected in store): they go on every channel the customer has not refused. Marketing
messages go only where the customer said yes. A shop adds its own with ``register_intent``.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from .errors import MessagingError

SERVICE = "service"
MARKETING = "marketing"

#: Channels in the order they are tried when an intent names none.
DEFAULT_CHANNELS = ("push", "email", "onsite", "sms")


class UnknownIntent(MessagingError):
    pass


@dataclass(frozen=True)
class Intent:
    name: str
    label: str
    purpose: str
    #: How long after it is asked for the message is still worth sending: a message
    #: deferred past it, or whose channels all fail by then, is dropped.
    relevance: timedelta
    channels: tuple = DEFAULT_CHANNELS

    @property
    def email_code(self):
        """The code of its Oscar ``CommunicationEventType``, whose templates the email uses."""
        return f"OMNI_{self.name.upper()}"


INTENTS = {}


def register_intent(intent):
    if intent.purpose not in (SERVICE, MARKETING):
        raise ValueError(
            f"An intent's purpose is {SERVICE!r} or {MARKETING!r}, not {intent.purpose!r}."
        )
    INTENTS[intent.name] = intent
    return intent


def get_intent(name):
    try:
        return INTENTS[name]
    except KeyError:
        raise UnknownIntent(
            f"{name!r} is not a message intent; use one of {', '.join(sorted(INTENTS))}."
        ) from None


for _intent in (
    Intent("basket_left", _("Basket left"), MARKETING, timedelta(days=3)),
    Intent("browse_left", _("Browse left"), MARKETING, timedelta(days=2)),
    Intent("price_drop", _("Price drop"), MARKETING, timedelta(days=3)),
    Intent("campaign", _("Campaign"), MARKETING, timedelta(days=1)),
    Intent("win_back", _("Win-back"), MARKETING, timedelta(days=7)),
):
    register_intent(_intent)
