"""Email addresses that mail bounced from, as the shop's email provider reports them.

A shop passes each bounce its provider reports to ``email_bounced``. With django-anymail,
a receiver of its ``tracking`` signal does it::

    from anymail.signals import tracking
    from django.dispatch import receiver

    from omni_plugin.messaging.bounces import email_bounced

    @receiver(tracking)
    def note_bounce(sender, event, esp_name, **kwargs):
        if event.event_type == "bounced":
            email_bounced(event.recipient, now=event.timestamp)

Without anymail, the view that receives the provider's webhook calls it the same way,
with the address the mail was sent to. The bounce is an ``email_bounced`` event on the
profile holding the address, which the snapshot folds into ``snapshot["bounced_emails"]``:
no more mail goes there, and the messages emailed there that still matter go on by the
next channel.
"""

from django.utils import timezone

from omni_plugin.core.events import ProfileErased, record
from omni_plugin.core.identifiers import normalise
from omni_plugin.core.models import Event, Identifier

from .sending import fall_back_from_email


def email_bounced(address, *, now=None):
    """Note that mail to ``address`` bounced and hand its messages on; the ids of the
    profiles marked, in a list.

    An address no profile holds marks none. Raises ``InvalidIdentifier`` (a ``ValueError``)
    for a value that is not an email address.
    """
    address = normalise(Identifier.Kind.EMAIL, address)
    profile_ids = Identifier.objects.filter(kind=Identifier.Kind.EMAIL, value=address).values_list(
        "profile_id", flat=True
    )
    marked = []
    for profile_id in profile_ids:
        try:
            record(
                "email_bounced",
                profile=profile_id,
                channel=Event.Channel.EMAIL,
                occurred_at=now or timezone.now(),
                data={"address": address},
            )
        except ProfileErased:
            continue  # erased meanwhile: there is no one left to mark
        marked.append(profile_id)
    fall_back_from_email(marked, address, now)
    return marked
