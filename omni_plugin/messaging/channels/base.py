"""What every channel does: say whether it reaches a profile, and carry a message there.

The messaging layer works a chunk of messages at a time, so each question has a form for
many messages at once. A channel answers at least one form of each pair, ``reaches`` or
``reaching`` and ``send`` or ``send_many``; the base class derives the other. The built-in
channels answer for the whole chunk, with a query or two for all of it.
"""

from dataclasses import dataclass

SENT = "sent"
#: Handed over to a service that answers later (a push service): the channel reports the
#: outcome through ``omni_plugin.messaging.sending.settle_messages``.
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
    #: Whether ``send`` may answer PENDING, the outcome coming later through ``outcomes``.
    answers_later = False

    def reaches(self, profile, snapshot):
        """Whether the customer can get a message this way now (an address, a browser...)."""
        return profile.pk in self.reaching([profile])

    def reaching(self, profiles):
        """The ids of those of ``profiles`` (with their snapshots) this channel reaches."""
        return {profile.pk for profile in profiles if self.reaches(profile, profile.snapshot)}

    def send(self, message, profile, snapshot):
        """Carry the ``Message`` (its ``content`` a ``MessageContent`` dict); an ``Outcome``."""
        return self.send_many([message])[0]

    def send_many(self, messages):
        """Carry each ``Message`` (its ``profile`` loaded); their ``Outcome``s, in order."""
        return [
            self.send(message, message.profile, message.profile.snapshot) for message in messages
        ]

    def outcomes(self, messages):
        """For a channel that answers later: what became of each ``Message`` it took, an
        ``Outcome`` that is PENDING while nobody knows yet."""
        return [Outcome(PENDING) for _message in messages]

    def campaigns_sent(self, profile_ids, since):
        """How many campaigns this channel sent each customer since ``since`` outside
        messaging, as ``{profile_id: count}``: they count against the caps like
        ``campaign`` messages."""
        return {}
