"""The rules a message passes before any channel carries it: consent, the frequency cap
and quiet hours. Each answers from the profile's snapshot or one counting query."""

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from omni_plugin.core.consent import Status, allows
from omni_plugin.geo.timezones import after_quiet_hours, zone
from omni_plugin.messaging.models import Message

from ..conf import omni_settings
from .channels import installed_channels
from .intents import INTENTS, MARKETING

#: The intent push campaigns count as.
CAMPAIGN = "campaign"

#: Messages that count against a cap: those a channel carried or is carrying.
COUNTED = (Message.Status.SENT, Message.Status.SENDING)


def consent_allows(intent, channel, snapshot):
    """Marketing goes only where the customer said yes; a service message goes anywhere the
    customer has not said no."""
    purpose = channel.consent_purpose
    if purpose is None:
        return True
    if intent.purpose == MARKETING:
        return allows(snapshot, purpose)
    decision = (snapshot or {}).get("consents", {}).get(purpose)
    return decision is None or decision["status"] == Status.GRANTED


def cap_reached(intent, profile_id, now):
    """Why the intent may not be sent to the profile now, or None.

    ``OMNI_MESSAGING_CAPS`` limits messages per intent (``"basket_left"``) or per purpose
    (``"marketing"``: all marketing intents together), over every channel. The push
    campaigns that reached the customer count as ``campaign`` messages.
    """
    for scope, limits in omni_settings.MESSAGING_CAPS.items():
        if scope == intent.name:
            intents = [intent.name]
        elif scope == intent.purpose:
            intents = [name for name, other in INTENTS.items() if other.purpose == scope]
        else:
            continue
        for count, seconds in limits:
            since = now - timedelta(seconds=seconds)
            sent = Message.objects.filter(
                profile_id=profile_id, intent__in=intents, status__in=COUNTED, sent_at__gt=since
            ).count()
            if CAMPAIGN in intents:
                sent += sum(
                    channel.campaigns_sent(profile_id, since)
                    for channel in installed_channels().values()
                )
            if sent >= count:
                return _(
                    "%(sent)s %(scope)s messages in the last %(window)s, the most allowed."
                ) % {
                    "sent": sent,
                    "scope": scope,
                    "window": _window(seconds),
                }
    return None


def quiet_until(snapshot, now):
    """When the quiet hours the profile is in end, in its own time zone; None outside them."""
    hours = omni_settings.MESSAGING_QUIET_HOURS
    if not hours:
        return None
    tz = zone((snapshot.get("geo") or {}).get("time_zone", ""))
    until = after_quiet_hours(now, tz, *hours)
    return until if until != now else None


def _window(seconds):
    if seconds % 86400 == 0:
        days = seconds // 86400
        return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours}
    return ngettext("%(n)s second", "%(n)s seconds", seconds) % {"n": seconds}
