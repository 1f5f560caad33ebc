"""A new customer signing up at a till, with the consents they gave there."""

from django.db import transaction
from django.utils.translation import gettext as _

from omni_plugin.core.consent import record_consent
from omni_plugin.core.events import record
from omni_plugin.core.identifiers import IdentifierRefused, normalise
from omni_plugin.core.identity import attach, profile_holding
from omni_plugin.core.models import Event, Merge, Profile

from .customers import IDENTIFICATIONS, IdentificationRefused


class AlreadyEnrolled(ValueError):
    """A customer holds one of the identifiers already; the message says which."""


def consent_source(store):
    return f"till at {store.code}"


def enrol(store, *, identifiers, consents, name=""):
    """A new profile holding ``identifiers`` (``{"email": ..., "phone": ...}``), with
    ``consents`` (``{purpose: "granted" | "denied"}``) recorded as given at the till.

    Changes nothing and raises ``AlreadyEnrolled`` when a customer holds one of the
    identifiers, or ``IdentificationRefused`` for a junk value.
    """
    normalised = {}
    for how, value in identifiers.items():
        try:
            normalised[how] = normalise(IDENTIFICATIONS[how], value)
        except IdentifierRefused as refused:
            raise IdentificationRefused(str(refused)) from None
    for how, value in normalised.items():
        if profile_holding(IDENTIFICATIONS[how], value) is not None:
            raise AlreadyEnrolled(
                _("A customer with the %(kind)s %(value)s is known already: look them up.")
                % {"kind": IDENTIFICATIONS[how].label.lower(), "value": value}
            )
    with transaction.atomic():
        profile_id = Profile.objects.create().pk
        for how, value in normalised.items():
            attach(profile_id, IDENTIFICATIONS[how], value, reason=Merge.Reason.POS)
        for purpose, status in consents.items():
            record_consent(profile_id, purpose, status, source=consent_source(store))
        record(
            "customer_enrolled",
            profile=profile_id,
            channel=Event.Channel.STORE,
            data={"store": store.code, "name": name},
        )
    return profile_id
