"""Customers to send messages to, in tests: an address, a phone, consents, a time zone."""

from omni_plugin.core.consent import record_consent
from omni_plugin.core.events import update_snapshot
from omni_plugin.core.identity import attach
from omni_plugin.core.models import Event, Merge, Profile


def make_customer(email="ann@example.com", *, phone=None, time_zone="Europe/London", consents=()):
    """A profile seen in ``time_zone`` holding ``email`` (and ``phone``) that said yes to ``consents``."""
    profile = Profile.objects.create()
    update_snapshot(profile.pk, lambda snapshot: snapshot.update(geo={"time_zone": time_zone}))
    if email:
        attach(profile.pk, "email", email, reason=Merge.Reason.CHECKOUT)
    if phone:
        attach(profile.pk, "phone", phone, reason=Merge.Reason.CHECKOUT)
    for purpose in consents:
        record_consent(profile.pk, purpose, "granted", source="checkout")
    profile.refresh_from_db()
    return profile


def logged(profile):
    """The message decisions in the profile's timeline, oldest first: (kind, data)."""
    return [
        (event.kind, event.data)
        for event in Event.objects.filter(profile=profile, kind__startswith="message_").order_by(
            "occurred_at", "pk"
        )
    ]
