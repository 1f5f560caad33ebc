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
    #: Whether ``send`` may answer PENDING, the outcome coming later through ``outcome``.
    answers_later = False

    def reaches(self, profile, snapshot):
        """Whether the customer can get a message this way now (an address, a browser...)."""
        raise NotImplementedError

    def send(self, message, profile, snapshot):
        """Carry the ``Message`` (its ``content`` a ``MessageContent`` dict); an ``Outcome``."""
        raise NotImplementedError

    def outcome(self, message):
        """For a channel that answers later: what became of the ``Message`` it took, an
        ``Outcome`` that is PENDING while nobody knows yet."""
        return Outcome(PENDING)

    def campaigns_sent(self, profile_id, since):
        """How many campaigns this channel sent the customer since ``since`` outside
        messaging: they count against the caps like ``campaign`` messages."""
        return 0
