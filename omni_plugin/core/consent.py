"""Consent: recording a customer's decisions, and asking whether a purpose is allowed.

    from omni_plugin.core.consent import allows, record_consent

    record_consent(profile.id, "email", "granted", source="checkout")
    if allows(request.omni.profile.snapshot, "personalisation"):
        ...

Every decision is kept as a ``Consent`` row and as a ``consent_recorded`` event, which the
snapshot folds into ``snapshot["consents"]``; ``allows`` reads only the snapshot.
"""

from django.db import transaction

from omni_plugin.conf import omni_settings
from omni_plugin.core.models import Consent, Profile

from .events import record

Purpose = Consent.Purpose
Status = Consent.Status

PURPOSES = frozenset(Purpose.values)
STATUSES = frozenset(Status.values)
#: Purposes a shop may pursue by legitimate interest until the customer decides.
PERSONALISING_PURPOSES = frozenset({Purpose.PERSONALISATION, Purpose.PROFILING})
SOURCE_MAX_LENGTH = Consent._meta.get_field("source").max_length


class InvalidConsent(ValueError):
    """The decision cannot be recorded or asked about; the message says why."""


def record_consent(profile_id, purpose, status, *, source):
    """Record a decision on ``purpose`` for the profile and fold it into its snapshot."""
    profile_id = getattr(profile_id, "pk", profile_id)
    _validate(purpose, status, source)
    if not Profile.objects.filter(pk=profile_id, erased_at__isnull=True).exists():
        raise InvalidConsent(f"There is no profile #{profile_id} to record consent for.")
    with transaction.atomic():
        consent = Consent.objects.create(
            profile_id=profile_id, purpose=purpose, status=status, source=source
        )
        record(
            "consent_recorded",
            profile=profile_id,
            occurred_at=consent.recorded_at,
            data={"purpose": purpose, "status": status, "source": source},
        )
    return consent


def allows(snapshot, purpose):
    """Whether the profile with this snapshot (None: no profile yet) allows ``purpose``.

    The customer's own decision wins; without one, personalisation and profiling follow
    ``OMNI_PERSONALISATION_BY_DEFAULT`` and the messaging channels wait for consent.
    """
    if purpose not in PURPOSES:
        raise InvalidConsent(_unknown_purpose(purpose))
    decision = (snapshot or {}).get("consents", {}).get(purpose)
    if decision is not None:
        return decision["status"] == Status.GRANTED
    return purpose in PERSONALISING_PURPOSES and omni_settings.PERSONALISATION_BY_DEFAULT


def _validate(purpose, status, source):
    if purpose not in PURPOSES:
        raise InvalidConsent(_unknown_purpose(purpose))
    if status not in STATUSES:
        raise InvalidConsent(
            f"{status!r} is not a consent status; use one of {', '.join(Status.values)}."
        )
    if not isinstance(source, str) or not source.strip() or len(source) > SOURCE_MAX_LENGTH:
        raise InvalidConsent(
            f"A consent's source says where it was given, in 1 to {SOURCE_MAX_LENGTH} "
            f"characters, not {source!r}."
        )


def _unknown_purpose(purpose):
    return f"{purpose!r} is not a consent purpose; use one of {', '.join(Purpose.values)}."
