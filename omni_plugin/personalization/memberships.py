"""Stored segment memberships with their reasons, and live counts for the admin.

Visitors are segmented live on every request (``segmenting``); these rows record, for
each profile as last seen, which segments it is in and why, for the admin and for the
tasks that target many profiles at once (push campaigns, journeys).
"""

from django.db import transaction
from django.utils import timezone

from omni_plugin.core.models import Profile

from .compiled import active_segments, history_conditions
from .evaluation import evaluate
from .evidence import FACTS, evidence_from_events
from .models import SegmentMembership
from .subject import Subject

CHUNK = 2000


def profiles_in_use():
    return Profile.objects.filter(merged_into__isnull=True, erased_at__isnull=True)


def refresh_memberships(profile_ids=None, now=None):
    """Evaluate the active segments for profiles (default: all) and store the result."""
    now = now or timezone.now()
    segments = active_segments()
    rows = profiles_in_use().order_by("pk").values_list("pk", "snapshot")
    if profile_ids is not None:
        rows = rows.filter(pk__in=profile_ids)
    changed = 0
    batch = []
    for row in rows.iterator(CHUNK):
        batch.append(row)
        if len(batch) == CHUNK:
            changed += _store(batch, segments, now)
            batch = []
    changed += _store(batch, segments, now)
    SegmentMembership.objects.exclude(segment_id__in=[s.id for s in segments]).delete()
    return changed


def _store(batch, segments, now):
    if not batch:
        return 0
    wanted = {
        (membership.segment_id, profile_id): membership.reasons
        for profile_id, snapshot in batch
        for membership in evaluate(segments, Subject.for_profile(snapshot, now))
    }
    existing = {
        (m.segment_id, m.profile_id): m
        for m in SegmentMembership.objects.filter(profile_id__in=[pk for pk, _ in batch])
    }
    gone = [m.pk for key, m in existing.items() if key not in wanted]
    new, updated = [], []
    for (segment_id, profile_id), reasons in wanted.items():
        membership = existing.get((segment_id, profile_id))
        if membership is None:
            new.append(
                SegmentMembership(
                    segment_id=segment_id, profile_id=profile_id, reasons=reasons, since=now
                )
            )
        else:
            membership.reasons, membership.refreshed_at = reasons, now
            updated.append(membership)
    with transaction.atomic():
        SegmentMembership.objects.filter(pk__in=gone).delete()
        SegmentMembership.objects.bulk_create(new)
        SegmentMembership.objects.bulk_update(updated, ["reasons", "refreshed_at"])
    return len(new) + len(gone)


def count_matching(segment, now=None):
    """How many profiles in use a compiled segment (saved or not) matches now.

    History rules not yet kept in the snapshots (a segment being edited) are answered from
    the events.
    """
    now = now or timezone.now()
    known = {condition.key for condition in history_conditions()}
    missing = [c for c in history_conditions([segment]) if c.key not in known]
    extra_facts = evidence_from_events(missing, now=now)
    matching = total = 0
    for profile_id, snapshot in profiles_in_use().values_list("pk", "snapshot").iterator(CHUNK):
        total += 1
        if profile_id in extra_facts:
            snapshot[FACTS] = {**snapshot.get(FACTS, {}), **extra_facts[profile_id]}
        if evaluate([segment], Subject.for_profile(snapshot, now)):
            matching += 1
    return matching, total
