"""A rate per key (``OMNI_POS_THROTTLE_RATE``), counted in the plugin's cache.

Every web server process must share that cache (Redis, Memcached) for the rate to hold
across them; with a local-memory cache each process counts on its own.
"""

from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from ..conf import omni_settings


class KeyRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        return omni_settings.POS_THROTTLE_RATE

    @property
    def cache(self):
        return caches[omni_settings.CACHE_ALIAS]

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None
        return f"omni:pos:throttle:{request.auth.pk}"
