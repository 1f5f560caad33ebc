"""Reading a visitor's profile cheaply: one cache hit, or one query on a miss."""

from dataclasses import dataclass, field

from django.core.cache import caches

from omni_plugin.conf import omni_settings
from omni_plugin.core.models import Identifier, Profile

CACHE_TIMEOUT = 60 * 30


@dataclass
class CachedProfile:
    """What a request needs of a profile: its id, snapshot and the snapshot's version."""

    id: int
    snapshot: dict = field(default_factory=dict)
    version: int = 0

    @property
    def pk(self):
        return self.id


def _cache():
    return caches[omni_settings.CACHE_ALIAS]


def visitor_key(visitor_id):
    return f"omni:visitor:{visitor_id}"


def profile_for_visitor(visitor_id):
    """The visitor's profile, or None while the visitor has done nothing meaningful."""
    key = visitor_key(visitor_id)
    entry = _cache().get(key)
    if entry is None:
        row = (
            Profile.objects.filter(
                identifiers__kind=Identifier.Kind.VISITOR,
                identifiers__value=visitor_id,
                erased_at__isnull=True,
            )
            .values_list("id", "snapshot", "version")
            .first()
        )
        entry = row or ()  # () remembers "no profile yet", sparing a query per page view
        _cache().set(key, entry, CACHE_TIMEOUT)
    return CachedProfile(*entry) if entry else None


def remember(visitor_id, profile):
    _cache().set(
        visitor_key(visitor_id), (profile.id, profile.snapshot, profile.version), CACHE_TIMEOUT
    )


def forget(*profile_ids):
    """Drop the cached entries of every visitor of these profiles (after merges, erasure, ...)."""
    visitor_ids = Identifier.objects.filter(
        profile_id__in=profile_ids, kind=Identifier.Kind.VISITOR
    ).values_list("value", flat=True)
    _cache().delete_many([visitor_key(v) for v in visitor_ids])


def forget_visitor(visitor_id):
    _cache().delete(visitor_key(visitor_id))
