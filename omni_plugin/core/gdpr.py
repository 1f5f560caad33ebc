"""The customer's rights over their profile: a copy of their data, and its erasure.

Both work on the whole person: the profile a merge kept, and every profile merged into
it. Given a profile that was merged away, they follow the merges to that profile first.
Both take a ``Profile`` or its id.
"""

from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from omni_plugin.core import profiles
from omni_plugin.core.models import Consent, Event, Identifier, Merge, Profile

from .merging import merged_tree, root_of
from .signals import profile_erased, profile_exported


@dataclass(frozen=True)
class Erasure:
    """What an erasure did, for the people who asked for it."""

    profile_ids: list
    identifiers: int
    events: int
    consents: int


def export_profile(profile):
    """Everything held about the profile's person, as a JSON-serialisable dict."""
    root = Profile.objects.get(pk=root_of(getattr(profile, "pk", profile)))
    tree = merged_tree(root.pk)
    kept_by_apps = {}
    for _receiver, section in profile_exported.send(Profile, profile_ids=tree):
        kept_by_apps.update(section)
    return {
        "profile": {
            "id": root.pk,
            "created_at": _iso(root.created_at),
            "last_seen": _iso(root.last_seen),
            "erased_at": _iso(root.erased_at),
            "merged_profiles": sorted(tree - {root.pk}),
        },
        "snapshot": root.snapshot,
        "identifiers": [
            {"kind": kind, "value": value, "created_at": _iso(created_at)}
            for kind, value, created_at in Identifier.objects.filter(profile_id__in=tree)
            .order_by("created_at", "id")
            .values_list("kind", "value", "created_at")
        ],
        "consents": [
            {**consent, "recorded_at": _iso(consent["recorded_at"])}
            for consent in Consent.objects.filter(profile_id__in=tree)
            .order_by("recorded_at", "id")
            .values("purpose", "status", "source", "recorded_at")
        ],
        "events": [_event(event) for event in _events_of(tree)],
        "merges": [
            {
                "id": merge["id"],
                "survivor": merge["survivor_id"],
                "merged": merge["merged_id"],
                "reason": merge["reason"],
                "created_at": _iso(merge["created_at"]),
                "undone_at": _iso(merge["undone_at"]),
            }
            for merge in Merge.objects.filter(Q(survivor_id__in=tree) | Q(merged_id__in=tree))
            .order_by("created_at", "id")
            .values("id", "survivor_id", "merged_id", "reason", "created_at", "undone_at")
        ],
        **kept_by_apps,
        "exported_at": _iso(timezone.now()),
    }


def erase_profile(profile):
    """Erase the profile's person: identifiers, consents and snapshot go, and the events
    stay only as anonymous statistics (kind, channel, time, product, value), tied to no
    profile, so that nothing groups them into one person's history.

    Erasing again is harmless and keeps the first ``erased_at``.
    """
    with transaction.atomic():
        tree = merged_tree(root_of(getattr(profile, "pk", profile)))
        _lock(tree)
        visitor_ids = list(
            Identifier.objects.filter(
                profile_id__in=tree, kind=Identifier.Kind.VISITOR
            ).values_list("value", flat=True)
        )
        identifiers, _ = Identifier.objects.filter(profile_id__in=tree).delete()
        consents, _ = Consent.objects.filter(profile_id__in=tree).delete()
        profile_erased.send(sender=Profile, profile_ids=sorted(tree))
        events = Event.objects.filter(profile_id__in=tree).update(
            data={}, order_number="", profile=None, origin_profile=None
        )
        # A new version makes a writer holding the old snapshot read the empty one first.
        Profile.objects.filter(pk__in=tree).update(
            snapshot={},
            version=F("version") + 1,
            erased_at=Coalesce("erased_at", Value(timezone.now())),
        )
        # Cached profiles are dropped only once this commits, so that no request caches
        # the old snapshot again in between; afterwards no visitor id leads to them.
        transaction.on_commit(partial(_forget_visitors, visitor_ids))
    return Erasure(sorted(tree), identifiers, events, consents)


def _lock(profile_ids):
    """Hold the profiles until commit, so no merge moves data into them meanwhile."""
    list(Profile.objects.select_for_update().filter(pk__in=profile_ids).values_list("pk"))


def _forget_visitors(visitor_ids):
    for visitor_id in visitor_ids:
        profiles.forget_visitor(visitor_id)


def _events_of(tree):
    return (
        Event.objects.filter(profile_id__in=tree)
        .order_by("occurred_at", "id")
        .values(
            "id",
            "origin_profile_id",
            "kind",
            "channel",
            "occurred_at",
            "product_id",
            "category_ids",
            "order_number",
            "value",
            "data",
        )
        .iterator()
    )


def _event(event):
    return {
        "id": event["id"],
        "recorded_on_profile": event["origin_profile_id"],
        "kind": event["kind"],
        "channel": event["channel"],
        "occurred_at": _iso(event["occurred_at"]),
        "product_id": event["product_id"],
        "category_ids": event["category_ids"],
        "order_number": event["order_number"],
        "value": None if event["value"] is None else str(event["value"]),
        "data": event["data"],
    }


def _iso(moment):
    return None if moment is None else moment.isoformat()
