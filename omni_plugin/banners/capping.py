"""Frequency caps with no server state: today's views per banner in a signed cookie.

The cookie holds ``{banner id: [day, views]}`` for capped banners only. A cookie that
was tampered with, or is from another day, counts as no views.
"""

from django.conf import settings
from django.core import signing
from django.utils import timezone

from omni_plugin.conf import omni_settings

SALT = "omni.banners.cap"
#: Long enough to outlast the day it counts; older days are ignored anyway.
COOKIE_AGE = 60 * 60 * 48


class ViewCounts:
    """Today's views of capped banners by one visitor, as the cookie says and as shown."""

    def __init__(self, cookie_value, today):
        self.today = today
        self.views = {}
        for banner_id, day_views in _read(cookie_value).items():
            if day_views[0] == today:
                self.views[banner_id] = day_views[1]

    def reached(self, banner):
        return bool(banner.frequency_cap) and self.count(banner) >= banner.frequency_cap

    def count(self, banner):
        return self.views.get(str(banner.id), 0)

    def add(self, banner):
        self.views[str(banner.id)] = self.count(banner) + 1

    def cookie_value(self):
        counts = {banner_id: [self.today, views] for banner_id, views in self.views.items()}
        return signing.dumps(counts, salt=SALT, compress=True)


def _read(cookie_value):
    """What the cookie holds, if it is ours (only this module signs with its salt)."""
    if not cookie_value:
        return {}
    try:
        return signing.loads(cookie_value, salt=SALT, max_age=COOKIE_AGE)
    except signing.BadSignature:
        return {}


def view_counts(request):
    """The visitor's ``ViewCounts``, read once per request."""
    return request.omni.memo(
        f"{__name__}.view_counts",
        lambda: ViewCounts(
            request.COOKIES.get(omni_settings.BANNER_CAP_COOKIE_NAME),
            timezone.localdate().isoformat(),
        ),
    )


def count_view(request, banner):
    """Count a view of a capped banner by a visitor (not a bot) and set the cookie."""
    if not banner.frequency_cap or not request.omni.trackable:
        return
    counts = view_counts(request)
    counts.add(banner)
    request.omni.response_cookies[omni_settings.BANNER_CAP_COOKIE_NAME] = (
        counts.cookie_value(),
        {
            "max_age": COOKIE_AGE,
            "httponly": True,
            "samesite": "Lax",
            "secure": settings.SESSION_COOKIE_SECURE,
        },
    )
