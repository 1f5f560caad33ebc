"""Liveness of the parts the plugin depends on, for load balancers and deploy scripts."""

import secrets

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.db import DatabaseError, connection

from omni_plugin.conf import omni_settings

OK, UNAVAILABLE, DISABLED = "ok", "unavailable", "disabled"


def database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return UNAVAILABLE
    return OK


def cache_status():
    cache = caches[omni_settings.CACHE_ALIAS]
    if isinstance(cache, DummyCache):
        return DISABLED
    token = secrets.token_hex(8)
    key = f"omni:health:{token}"
    # Cache clients raise their own connection errors (redis, pymemcache, ...);
    # any of them means the cache cannot serve the plugin.
    try:
        cache.set(key, token, timeout=10)
        healthy = cache.get(key) == token
        cache.delete(key)
    except Exception:
        return UNAVAILABLE
    return OK if healthy else UNAVAILABLE


def component_statuses():
    return {"database": database_status(), "cache": cache_status()}
