"""Local time for a visitor or a profile, from the time zone their location gives."""

from datetime import datetime, time, timedelta
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


def after_quiet_hours(moment, tz, start, end):
    """``moment``, or the end of the quiet hours (from ``start`` to ``end`` o'clock) it is in."""
    if start is None or end is None or start == end:
        return moment
    local = moment.astimezone(tz)
    hour = local.hour
    quiet = start <= hour < end if start < end else hour >= start or hour < end
    if not quiet:
        return moment
    day = local.date() if hour < end else local.date() + timedelta(days=1)
    return datetime.combine(day, time(end), tzinfo=tz)
