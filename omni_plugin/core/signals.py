"""Signals the plugin sends, for apps that keep data of their own about a profile."""

from django.dispatch import Signal

#: Sent inside an erasure's transaction with ``profile_ids``: the erased profile and every
#: profile merged into it. Receivers delete what they keep about those people.
profile_erased = Signal()

#: Sent by a data export with ``profile_ids``: the person's profile and every profile merged
#: into it. Each receiver returns a dict of what it keeps about them, JSON-serialisable, with
#: keys of its own; the export includes them.
profile_exported = Signal()

#: Sent inside a merge's transaction with ``survivor_id`` and ``merged_id``: receivers move
#: what they keep on the merged profile to the survivor.
profiles_merged = Signal()

#: Sent inside an undo's transaction with ``merged_id`` and ``profile_ids`` (the merged
#: profile and every profile merged into it): receivers move back what those profiles
#: brought, to ``merged_id``.
merge_undone = Signal()
