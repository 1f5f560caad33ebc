"""Recording events: the one Python API every part of the plugin records through.

    from omni_plugin.core.events import record

    record("banner_clicked", request=request, data={"banner": 7})   # the visitor's profile
    record("order_placed", profile=profile, channel="store", value=Decimal("12.50"))

Events of a request are kept on ``request.omni`` and written in one go after the view
has run; events for a known profile are written at once. ``ingest`` writes many events
for many profiles in bulk (POS batches, imports).
"""

import copy
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from omni_plugin.core import snapshot as snapshots
from omni_plugin.core.models import Event, Profile

from .bulk_update import update_rows
from .catalogue import category_ids_of
from .context import current_request
from .profiles import CachedProfile

BULK_BATCH = 1000


@dataclass
class NewEvent:
    """An event not yet written: the fields of ``Event`` without its profile."""

    kind: str
    occurred_at: datetime
    channel: str = Event.Channel.WEB
    product_id: int | None = None
    category_ids: list = field(default_factory=list)
    order_number: str = ""
    value: Decimal | None = None
    data: dict = field(default_factory=dict)
    pk = None

    def to_model(self, profile_id):
        return Event(
            profile_id=profile_id,
            origin_profile_id=profile_id,
            kind=self.kind,
            occurred_at=self.occurred_at,
            channel=self.channel,
            product_id=self.product_id,
            category_ids=self.category_ids,
            order_number=self.order_number,
            value=self.value,
            data=self.data,
        )


def new_event(kind, *, product=None, categories=None, occurred_at=None, **fields):
    """A ``NewEvent``; ``product`` is a product or its id, its categories are looked up."""
    if product is not None and categories is None:
        categories = category_ids_of(product)
    return NewEvent(
        kind=kind,
        occurred_at=occurred_at or timezone.now(),
        product_id=getattr(product, "pk", product),
        category_ids=list(categories or []),
        **fields,
    )


def record(kind, *, request=None, profile=None, **fields):
    """Record an event for the request's visitor, or for ``profile`` when given.

    Without either, the request being served (if any) is used. Returns the event, or
    None when nothing is recorded: a bot, a static file, or the plugin switched off.
    """
    if profile is None:
        request = request or current_request.get()
        omni = getattr(request, "omni", None)
        if omni is None or not omni.trackable:
            return None
        event = new_event(kind, **fields)
        omni.pending.append(event)
        return event
    event = new_event(kind, **fields)
    write_events(getattr(profile, "pk", profile), [event])
    return event


def write_events(profile_id, events, known=None, context=None):
    """Append ``events`` to a profile and fold them into its snapshot.

    ``known`` is the caller's copy of the profile (from the cache); when another writer
    got there first, the snapshot is read again, so no update is ever lost. ``context``
    (the request's coarse ``geo`` and ``device``) replaces those keys of the snapshot in
    the same update.
    """
    own_transaction = not connection.in_atomic_block
    with transaction.atomic():
        if own_transaction:
            commit_without_waiting_for_disk()
        Event.objects.bulk_create([event.to_model(profile_id) for event in events])

        def fold(snapshot):
            for event in events:
                snapshots.apply(snapshot, event)
            snapshot.update(context or {})

        return update_snapshot(profile_id, fold, known=known)


def commit_without_waiting_for_disk():
    """On PostgreSQL, let the current transaction commit before its WAL reaches the disk.

    Browsing events are many and each worth little: a crash of the database server may
    lose the last fraction of a second of them, never leave them half-written, and the
    page does not wait for a disk flush. Only for a transaction of the plugin's own (a
    shop's transaction, an order's say, keeps its durability).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


class ProfileErased(Exception):
    """The profile was erased: nothing may be written to it any more."""


def update_snapshot(profile_id, change, known=None):
    """Apply ``change(snapshot)`` to a profile's snapshot without losing a concurrent update.

    Raises ``ProfileErased`` (rolling back the caller's transaction) for an erased profile.
    """
    if known is None:
        known = _load(profile_id)
    while True:
        snapshot = copy.deepcopy(known.snapshot)
        change(snapshot)
        updated = Profile.objects.filter(
            pk=profile_id, version=known.version, erased_at__isnull=True
        ).update(
            snapshot=snapshot, version=known.version + 1, last_seen=snapshots.last_seen(snapshot)
        )
        if updated:
            return CachedProfile(profile_id, snapshot, known.version + 1)
        known = _load(profile_id)


def ingest(events_by_profile):
    """Write many events for many profiles: ``{profile_id: [NewEvent, ...]}``.

    A few queries per thousand events: the events in batches, the snapshots read in
    one query and written back in batches. An order line without a product id raises
    ``LineWithoutProduct`` before anything is written.
    """
    for profile_id, events in events_by_profile.items():
        for event in events:
            _check_lines(profile_id, event)
    with transaction.atomic():
        Event.objects.bulk_create(
            [e.to_model(pid) for pid, events in events_by_profile.items() for e in events],
            batch_size=BULK_BATCH,
        )
        profiles = Profile.objects.select_for_update().in_bulk(list(events_by_profile))
        for profile_id, events in events_by_profile.items():
            profile = profiles[profile_id]
            for event in events:
                snapshots.apply(profile.snapshot, event)
            profile.version += 1
            profile.last_seen = snapshots.last_seen(profile.snapshot)
        update_rows(list(profiles.values()), ["snapshot", "version", "last_seen"])
    return sum(len(events) for events in events_by_profile.values())


class LineWithoutProduct(ValueError):
    """An event's line has no product id: the snapshot and the recommendations need one."""


def _check_lines(profile_id, event):
    lines = event.data.get("lines") if isinstance(event.data, dict) else None
    if not isinstance(lines, list):  # basket events count their lines: an int
        return
    for n, line in enumerate(lines):
        if not isinstance(line, dict) or line.get("product_id") is None:
            number = f" {event.order_number}" if event.order_number else ""
            raise LineWithoutProduct(
                f"Line {n} of the {event.kind} event{number} of profile #{profile_id} "
                "has no product id."
            )


def _load(profile_id):
    snapshot, version, erased_at = Profile.objects.values_list(
        "snapshot", "version", "erased_at"
    ).get(pk=profile_id)
    if erased_at:
        raise ProfileErased(f"Profile #{profile_id} was erased.")
    return CachedProfile(profile_id, snapshot, version)
