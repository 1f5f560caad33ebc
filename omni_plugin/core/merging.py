"""Merging two profiles into one, journaled so that every merge can be explained and undone.

A merge moves the identifiers and consents at once and records them in a ``Merge``; the
events follow in a task (there may be many), which then rebuilds the survivor's snapshot.
No event is ever deleted: each remembers its ``origin_profile``, which is how an undo
finds the events to move back.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from omni_plugin.core import profiles
from omni_plugin.core import snapshot as snapshots
from omni_plugin.core.models import Consent, Event, Identifier, Merge, Profile

from .signals import merge_undone, profiles_merged

EVENT_BATCH = 5000


class MergeError(ValueError):
    """The merge or undo cannot be done; the message says why."""


def merge(survivor_id, merged_id, reason):
    if survivor_id == merged_id:
        raise MergeError(f"Profile #{survivor_id} cannot be merged into itself.")
    with transaction.atomic():
        locked = Profile.objects.select_for_update().in_bulk([survivor_id, merged_id])
        missing = [pid for pid in (survivor_id, merged_id) if pid not in locked]
        if missing:
            raise MergeError(f"There is no profile #{missing[0]}.")
        if locked[merged_id].merged_into_id or locked[survivor_id].merged_into_id:
            raise MergeError("Only profiles that have not been merged away can be merged.")
        if locked[merged_id].erased_at or locked[survivor_id].erased_at:
            raise MergeError("An erased profile can be neither merged nor merged into.")
        identifier_ids = list(
            Identifier.objects.filter(profile_id=merged_id).values_list("id", flat=True)
        )
        consent_ids = list(
            Consent.objects.filter(profile_id=merged_id).values_list("id", flat=True)
        )
        Identifier.objects.filter(id__in=identifier_ids).update(profile_id=survivor_id)
        Consent.objects.filter(id__in=consent_ids).update(profile_id=survivor_id)
        Profile.objects.filter(pk=merged_id).update(merged_into_id=survivor_id)
        journal = Merge.objects.create(
            survivor_id=survivor_id,
            merged_id=merged_id,
            reason=reason,
            identifier_ids=identifier_ids,
            consent_ids=consent_ids,
        )
        profiles_merged.send(Merge, survivor_id=survivor_id, merged_id=merged_id)
        transaction.on_commit(lambda: move_merged_events.enqueue(journal.pk))
    profiles.forget(survivor_id)
    return journal


@task()
def move_merged_events(merge_id):
    """Re-point the merged profile's events to the survivor, a batch at a time.

    Each batch holds the journal's row, so an undo waits for it, and a batch after an
    undo moves nothing. Running the task twice is harmless.
    """
    while True:
        with transaction.atomic():
            journal = Merge.objects.select_for_update().get(pk=merge_id)
            if journal.events_moved_at or journal.undone_at:
                return
            ids = list(
                Event.objects.filter(profile_id=journal.merged_id).values_list("id", flat=True)[
                    :EVENT_BATCH
                ]
            )
            if not ids:
                journal.events_moved_at = timezone.now()
                journal.save(update_fields=["events_moved_at"])
                break
            Event.objects.filter(id__in=ids).update(profile_id=journal.survivor_id)
    refresh_snapshot(journal.survivor_id)


def undo(journal):
    """Give the merged profile back its identifiers, consents and events."""
    with transaction.atomic():
        journal = Merge.objects.select_for_update().get(pk=journal.pk)
        if journal.undone_at:
            raise MergeError(
                f"Merge #{journal.pk} was already undone on {journal.undone_at:%Y-%m-%d}."
            )
        if Profile.objects.filter(
            pk__in=[journal.survivor_id, journal.merged_id], erased_at__isnull=False
        ).exists():
            raise MergeError(
                f"Merge #{journal.pk} involves an erased profile; nothing to give back."
            )
        holder_id = root_of(journal.survivor_id)
        Event.objects.filter(origin_profile_id__in=merged_tree(journal.merged_id)).update(
            profile_id=journal.merged_id
        )
        Identifier.objects.filter(id__in=journal.identifier_ids).update(
            profile_id=journal.merged_id
        )
        Consent.objects.filter(id__in=journal.consent_ids).update(profile_id=journal.merged_id)
        Profile.objects.filter(pk=journal.merged_id).update(merged_into=None)
        merge_undone.send(
            Merge, merged_id=journal.merged_id, profile_ids=merged_tree(journal.merged_id)
        )
        journal.undone_at = timezone.now()
        journal.save(update_fields=["undone_at"])
        refresh_snapshot(journal.merged_id)
        refresh_snapshot(holder_id)
    return journal


def root_of(profile_id):
    """The profile that ``profile_id`` ended up in, following merges."""
    while True:
        merged_into = Profile.objects.values_list("merged_into_id", flat=True).get(pk=profile_id)
        if merged_into is None:
            return profile_id
        profile_id = merged_into


def roots_of(profile_ids):
    """Each of ``profile_ids`` mapped to the profile it ended up in, one query per level of
    merging; ids of no profile are left out."""
    roots = {profile_id: profile_id for profile_id in profile_ids}
    following = set(roots)
    while following:
        merged_into = dict(
            Profile.objects.filter(pk__in=following).values_list("pk", "merged_into_id")
        )
        for profile_id, root in list(roots.items()):
            if root not in merged_into:
                if root in following:
                    del roots[profile_id]
            elif merged_into[root] is not None:
                roots[profile_id] = merged_into[root]
        following = {merged_into[pk] for pk in following if merged_into.get(pk)}
    return roots


def merged_tree(profile_id):
    """``profile_id`` and every profile merged into it, directly or not."""
    tree, frontier = {profile_id}, [profile_id]
    while frontier:
        frontier = list(
            Profile.objects.filter(merged_into_id__in=frontier).values_list("id", flat=True)
        )
        tree.update(frontier)
    return tree


def identity_keys(profile_id):
    """The snapshot keys that come from identifiers rather than events."""
    values = dict(
        Identifier.objects.filter(
            profile_id=profile_id, kind__in=[Identifier.Kind.USER, Identifier.Kind.EMAIL]
        )
        .order_by("created_at", "id")  # the newest of each kind wins
        .values_list("kind", "value")
    )
    keys = {}
    if Identifier.Kind.USER in values:
        keys["user_id"] = int(values[Identifier.Kind.USER])
        keys["groups"] = sorted(
            get_user_model()
            .objects.filter(pk=keys["user_id"], groups__isnull=False)
            .values_list("groups__name", flat=True)
        )
    if Identifier.Kind.EMAIL in values:
        keys["email"] = values[Identifier.Kind.EMAIL]
    return keys


def refresh_snapshot(profile_id):
    """Fold the profile's whole history again into a fresh snapshot."""
    events = Event.objects.filter(profile_id=profile_id).order_by("occurred_at", "id")
    snapshot = snapshots.rebuild(events.iterator(), identity=identity_keys(profile_id))
    Profile.objects.filter(pk=profile_id).update(
        snapshot=snapshot, version=F("version") + 1, last_seen=snapshots.last_seen(snapshot)
    )
    profiles.forget(profile_id)
    return snapshot
