"""What every channel does: say whether it reaches a profile, and carry a message there."""

from dataclasses import dataclass

SENT = "sent"
#: Handed over to a service that answers later (a push service): the channel reports the
#: outcome with ``omni_plugin.messaging.sending.settle``.
PENDING = "pending"
FAILED = "failed"


@dataclass(frozen=True)
class Outcome:
    result: str
    detail: str = ""


class Channel:
    #: The name messages and settings use: "push", "email", "onsite", "sms".
    name = ""
    label = ""
    #: The consent purpose that covers it; None for a channel that needs none.
    consent_purpose = None

    def reaches(self, profile, snapshot):
        """Whether the customer can get a message this way now (an address, a browser...)."""
        raise NotImplementedError

    def send(self, message, profile, snapshot):
        """Carry the ``Message`` (its ``content`` a ``MessageContent`` dict); an ``Outcome``."""
        raise NotImplementedError
