"""The channel a customer would rather be reached by.

    from omni_plugin.core.preferences import preferred_channel, set_preferred_channel

    set_preferred_channel(profile.id, "email", source="account page")
    preferred_channel(profile.snapshot)  # "email"

The choice is a ``channel_preferred`` event, which the snapshot folds into
``snapshot["preferred_channel"]``, so that a message can try that channel first; consent
still decides which channels it may use at all.
"""

from django.utils.translation import gettext_lazy as _

from omni_plugin.core.events import record
from omni_plugin.core.models import Profile

#: The channels a customer may prefer, in the order the privacy page offers them.
CHANNEL_CHOICES = (
    ("push", _("Browser notifications")),
    ("email", _("Email")),
    ("onsite", _("A notice in your account")),
    ("sms", _("SMS")),
)
CHANNELS = frozenset(name for name, _label in CHANNEL_CHOICES)


class InvalidChannelPreference(ValueError):
    """The preference cannot be recorded; the message says why."""


def set_preferred_channel(profile_id, channel, *, source):
    """Record that the profile's customer would rather be reached by ``channel``."""
    profile_id = getattr(profile_id, "pk", profile_id)
    if channel not in CHANNELS:
        raise InvalidChannelPreference(
            f"{channel!r} is not a channel; use one of {', '.join(sorted(CHANNELS))}."
        )
    if not isinstance(source, str) or not source.strip():
        raise InvalidChannelPreference(
            "A channel preference's source says where it was given, such as 'account page'."
        )
    if not Profile.objects.filter(pk=profile_id, erased_at__isnull=True).exists():
        raise InvalidChannelPreference(f"There is no profile #{profile_id} to record it for.")
    return record(
        "channel_preferred", profile=profile_id, data={"channel": channel, "source": source}
    )


def preferred_channel(snapshot):
    """The channel the customer chose, or None when they have not chosen."""
    return (snapshot or {}).get("preferred_channel")
