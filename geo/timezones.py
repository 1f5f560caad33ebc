"""Local time for a visitor or a profile, from the time zone their location gives."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone


def zone(name):
    """The ``ZoneInfo`` called ``name``, or the site's time zone when it is unknown."""
    try:
        return ZoneInfo(name) if name else timezone.get_default_timezone()
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()


def local_time(time_zone, now=None):
    """``now`` (default: the current time) in the given IANA time zone."""
    return (now or timezone.now()).astimezone(zone(time_zone))


def profile_local_time(snapshot, now=None):
    """The current time where a profile was last seen, from ``snapshot["geo"]``."""
    return local_time((snapshot.get("geo") or {}).get("time_zone", ""), now)
