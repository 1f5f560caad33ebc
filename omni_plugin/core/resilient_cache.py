"""A Redis cache whose outage costs the shop its cache, not its pages.

    CACHES = {
        "default": {
            "BACKEND": "omni_plugin.core.resilient_cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    }

Django's Redis cache raises when Redis cannot be reached, and every page that reads the
cache fails with it: Wagtail's, Oscar's and the plugin's. This one takes an unreachable
Redis for a cache that keeps nothing: reads miss, writes are dropped, counters start from
nothing, and pages are built from the database. A call gives up after ``SOCKET_TIMEOUT``
seconds without retrying; Redis is then left alone for ``RETRY_SECONDS``, so that requests
do not each wait for it. The outage is logged once when it starts and once when Redis
answers again, not once per request.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

SOCKET_TIMEOUT = 0.5
RETRY_SECONDS = 1.0
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class Outage:
    """Whether a Redis server is out, for every thread of the process."""

    def __init__(self, name):
        self.name = name
        self.since = None
        self.retry_at = 0.0
        self._lock = threading.Lock()

    def skipping(self):
        return self.since is not None and time.monotonic() < self.retry_at

    def failed(self, error):
        with self._lock:
            self.retry_at = time.monotonic() + RETRY_SECONDS
            if self.since is None:
                self.since = time.monotonic()
                logger.error(
                    "Redis at %s cannot be reached (%s): pages are served without the cache "
                    "until it answers again.",
                    self.name,
                    error,
                )

    def answered(self):
        if self.since is None:
            return
        with self._lock:
            if self.since is not None:
                logger.warning(
                    "Redis at %s answers again, after %.0f s.",
                    self.name,
                    time.monotonic() - self.since,
                )
                self.since = None


_outages = {}
_outages_lock = threading.Lock()


def outage_of(servers):
    key = tuple(servers)
    with _outages_lock:
        if key not in _outages:
            _outages[key] = Outage(", ".join(servers))
        return _outages[key]


class ResilientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, **options):
        options.setdefault("socket_connect_timeout", SOCKET_TIMEOUT)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT)
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(servers, **options)
        self.outage = outage_of(servers)

    def guarded(self, function, fallback, *args):
        """``function(*args)``, or ``fallback`` while Redis cannot be reached."""
        if self.outage.skipping():
            return fallback
        try:
            result = function(*args)
        except UNREACHABLE as error:
            self.outage.failed(error)
            return fallback
        self.outage.answered()
        return result

    def add(self, key, value, timeout):
        return self.guarded(super().add, False, key, value, timeout)

    def get(self, key, default):
        return self.guarded(super().get, default, key, default)

    def set(self, key, value, timeout):
        return self.guarded(super().set, None, key, value, timeout)

    def touch(self, key, timeout):
        return self.guarded(super().touch, False, key, timeout)

    def delete(self, key):
        return self.guarded(super().delete, False, key)

    def get_many(self, keys):
        return self.guarded(super().get_many, {}, keys)

    def has_key(self, key):
        return self.guarded(super().has_key, False, key)

    def incr(self, key, delta):
        missing = object()
        result = self.guarded(super().incr, missing, key, delta)
        if result is missing:
            raise ValueError(f"Key '{key}' not found.")  # what counters expect of an empty cache
        return result

    def set_many(self, data, timeout):
        return self.guarded(super().set_many, None, data, timeout)

    def delete_many(self, keys):
        return self.guarded(super().delete_many, None, keys)

    def clear(self):
        return self.guarded(super().clear, False)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
