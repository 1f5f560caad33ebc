"""The evidence history rules keep in a profile's snapshot, under ``snapshot["facts"]``.

A rule such as "viewed the Mugs category 3 times in the last 7 days" keeps, per profile,
the times (and values) of the newest matching events within its window. Events are folded
in as they are written, in the same snapshot update, so the rule is answered from the
cached snapshot with no query. ``refresh_evidence`` recomputes it from the event
history for segments saved after the events happened.
"""

from datetime import timedelta
from itertools import groupby

from django.utils import timezone

from omni_plugin.core import profiles
from omni_plugin.core.events import ProfileErased, update_snapshot
from omni_plugin.core.models import Event, Profile

from .compiled import history_conditions

FACTS = "facts"


def fold_event(snapshot, event, conditions=None):
    """Add ``event`` to the evidence of each history condition it matters to."""
    for condition in history_conditions() if conditions is None else conditions:
        if condition.rule.watches(condition.params, event):
            _add(snapshot, condition, event)


def _add(snapshot, condition, event):
    rule, params = condition.rule, condition.params
    facts = snapshot.setdefault(FACTS, {})
    rows = facts.get(condition.key, [])
    rows.append([event.occurred_at.isoformat(), rule.evidence_value(event)])
    rows.sort(key=lambda row: row[0])
    since = (event.occurred_at - rule.window(params)).isoformat()
    facts[condition.key] = [row for row in rows if row[0] >= since][-rule.keep(params) :]


def evidence_from_events(conditions, profile_ids=None, now=None):
    """``{profile_id: facts}`` for ``conditions``, recomputed from the events in their windows."""
    if not conditions:
        return {}
    now = now or timezone.now()
    longest = max(condition.rule.window(condition.params) for condition in conditions)
    events = Event.objects.filter(
        profile__erased_at__isnull=True,
        kind__in={kind for condition in conditions for kind in condition.rule.kinds},
        occurred_at__gte=now - longest - timedelta(seconds=1),
    )
    if profile_ids is not None:
        events = events.filter(profile_id__in=profile_ids)
    events = events.only(
        "profile_id", "kind", "occurred_at", "product_id", "category_ids", "value", "channel"
    ).order_by("profile_id", "occurred_at", "id")
    facts = {}
    for profile_id, profile_events in groupby(events.iterator(2000), key=lambda e: e.profile_id):
        snapshot = {}
        for event in profile_events:
            fold_event(snapshot, event, conditions)
        facts[profile_id] = snapshot.get(FACTS, {})
    return facts


def refresh_evidence(profile_ids=None):
    """Recompute the evidence of the active segments' history rules from the events.

    Evidence of rules no segment uses any more is dropped.
    """
    recomputed = evidence_from_events(history_conditions(), profile_ids)
    stale = Profile.objects.filter(snapshot__has_key=FACTS, erased_at__isnull=True).exclude(
        pk__in=list(recomputed)
    )
    if profile_ids is not None:
        stale = stale.filter(pk__in=profile_ids)
    changes = {**{pk: {} for pk in stale.values_list("pk", flat=True)}, **recomputed}
    updated = []
    for profile_id, facts in changes.items():
        try:
            update_snapshot(
                profile_id, lambda snapshot, facts=facts: _replace_facts(snapshot, facts)
            )
        except ProfileErased:
            continue
        updated.append(profile_id)
    profiles.forget(*updated)
    return len(updated)


def _replace_facts(snapshot, facts):
    if facts:
        snapshot[FACTS] = facts
    else:
        snapshot.pop(FACTS, None)
