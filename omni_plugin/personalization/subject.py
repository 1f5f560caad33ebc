"""The visitor as segment rules see them: a profile's snapshot, the visit and the time.

A ``Subject`` is made once per request (or per profile, for counts and refreshes) and
computes what several rules share (local time, RFM scores, affinities) only once.
"""

from datetime import datetime, timedelta
from functools import cached_property

from django.utils import timezone

from omni_plugin.core import snapshot as snapshots
from omni_plugin.geo.timezones import local_time

#: A profile first seen longer ago than this is a returning visitor.
VISIT_LENGTH = timedelta(minutes=30)


class Subject:
    def __init__(
        self,
        snapshot,
        *,
        now=None,
        device="",
        geo=None,
        coordinates=None,
        authenticated=False,
        is_new=False,
        arrival=None,
    ):
        self.snapshot = snapshot or {}
        self.now = now or timezone.now()
        self.device = device or self.snapshot.get("device", "")
        self.geo = geo or self.snapshot.get("geo") or {}
        self.coordinates = coordinates
        self.authenticated = authenticated
        self.is_new = is_new
        self.arrival = arrival or {}

    @classmethod
    def for_request(cls, request, now=None):
        omni = request.omni
        snapshot = omni.profile.snapshot if omni.profile else {}
        return cls(
            snapshot,
            now=now,
            device=omni.device,
            geo=omni.geo.coarse() if omni.geo.known else None,
            coordinates=omni.geo.coordinates,
            authenticated=request.user.is_authenticated,
            is_new=omni.visitor_is_new,
            arrival=omni.arrival,
        )

    @classmethod
    def for_profile(cls, snapshot, now=None):
        """A profile as last seen: its last device and place, logged in if it has an account."""
        return cls(snapshot, now=now, authenticated="user_id" in (snapshot or {}))

    @cached_property
    def local_time(self):
        return local_time(self.geo.get("time_zone", ""), self.now)

    @cached_property
    def rfm(self):
        return snapshots.rfm(self.snapshot, self.now)

    @cached_property
    def affinities(self):
        return snapshots.decayed_affinities(self.snapshot, self.now)

    @cached_property
    def returning(self):
        first_seen = self.snapshot.get("first_seen")
        if self.is_new or not first_seen:
            return False
        return datetime.fromisoformat(first_seen) < self.now - VISIT_LENGTH

    @cached_property
    def campaign(self):
        """The UTM parameters and referrer of this visit, else of the last one recorded."""
        return self.arrival or self.snapshot.get("campaign") or {}

    def since(self, delta):
        """The ISO time ``delta`` ago, comparable with the snapshot's ISO times."""
        return (self.now - delta).isoformat()

    def since_days(self, days):
        return self.since(timedelta(days=days))

    def recent_evidence(self, rule, params):
        """The (time, value) evidence a history rule kept, within its window."""
        rows = (self.snapshot.get("facts") or {}).get(params["key"], ())
        since = self.since(rule.window(params))
        return [row for row in rows if row[0] >= since]
