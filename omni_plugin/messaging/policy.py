"""The rules a message passes before any channel carries it: consent, the frequency cap
and quiet hours. Each answers from the profile's snapshot, or for a whole chunk of
messages with one counting query per window."""

from collections import Counter
from datetime import timedelta

from django.db.models import Count
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


class FrequencyCaps:
    """The frequency caps over a chunk of messages: what each profile was sent in each
    window, counted in one query per window, and counted on as the chunk's messages go.

    ``OMNI_MESSAGING_CAPS`` limits messages per intent (``"basket_left"``) or per purpose
    (``"marketing"``: all marketing intents together), over every channel. The push
    campaigns that reached the customer count as ``campaign`` messages.
    """

    def __init__(self, profile_ids, now):
        self.profile_ids = list(set(profile_ids))
        self.now = now
        self.counts = {}

    def reached(self, intent, profile_id):
        """Why the intent may not be sent to the profile now, or None."""
        for scope, count, seconds in self._limits(intent):
            sent = self._sent(scope, seconds)[profile_id]
            if sent >= count:
                return _(
                    "%(sent)s %(scope)s messages in the last %(window)s, the most allowed."
                ) % {"sent": sent, "scope": scope, "window": _window(seconds)}
        return None

    def count(self, intent, profile_id):
        """Count a message of the intent that is going to the profile now."""
        for scope, _count, seconds in self._limits(intent):
            self._sent(scope, seconds)[profile_id] += 1

    def _limits(self, intent):
        for scope, limits in omni_settings.MESSAGING_CAPS.items():
            if scope in (intent.name, intent.purpose):
                for count, seconds in limits:
                    yield scope, count, seconds

    def _sent(self, scope, seconds):
        if (scope, seconds) not in self.counts:
            intents = _intents_of(scope)
            since = self.now - timedelta(seconds=seconds)
            sent = Counter(
                dict(
                    Message.objects.filter(
                        profile_id__in=self.profile_ids,
                        intent__in=intents,
                        status__in=COUNTED,
                        sent_at__gt=since,
                    )
                    .values("profile_id")
                    .annotate(sent=Count("pk"))
                    .values_list("profile_id", "sent")
                )
            )
            if CAMPAIGN in intents:
                for channel in installed_channels().values():
                    sent.update(channel.campaigns_sent(self.profile_ids, since))
            self.counts[scope, seconds] = sent
        return self.counts[scope, seconds]


def _intents_of(scope):
    """The intents a cap's scope covers: the intent of that name, or those of that purpose."""
    if scope in INTENTS:
        return [scope]
    return [name for name, intent in INTENTS.items() if intent.purpose == scope]


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
