"""Values compiled from the database once, shared through the plugin's cache.

Each process keeps the copy it last used. To know whether the copy is still current it
reads a small version number from the shared cache, at most once every
``RECHECK_SECONDS``: a busy process does not pay a round trip per request, and a change
reaches every process within that time. ``forget`` (on every change of what the value is
built from) gives it a new version, so every process builds or fetches it again; the
process that made the change does so at once.
"""

import time
import uuid

from django.core.cache import caches

from omni_plugin.conf import omni_settings

TIMEOUT = 60 * 60 * 24
RECHECK_SECONDS = 1.0

_instances = []


class CompiledCache:
    def __init__(self, name, build):
        self.version_key = f"omni:{name}:version"
        self.value_key = f"omni:{name}:compiled:{{version}}"
        self.build = build
        self._copy = ("", None)  # (version, value) this process used last
        self._recheck_at = 0.0
        _instances.append(self)

    def get(self, recheck=False):
        """The value; ``recheck`` reads the version now, whenever it was last read."""
        now = time.monotonic()
        if now < self._recheck_at and not recheck:
            return self._copy[1]
        cache = caches[omni_settings.CACHE_ALIAS]
        version = cache.get(self.version_key)
        if version is None:
            cache.add(self.version_key, uuid.uuid4().hex, None)
            version = cache.get(self.version_key)
            if version is None:  # a cache that keeps nothing (omni.W009), or one that is down
                return self._copy[1] if self._copy[0] else self.build()
        if self._copy[0] != version:
            key = self.value_key.format(version=version)
            value = cache.get(key)
            if value is None:
                value = self.build()
                cache.set(key, value, TIMEOUT)
            self._copy = (version, value)
        self._recheck_at = now + RECHECK_SECONDS
        return self._copy[1]

    def forget(self):
        caches[omni_settings.CACHE_ALIAS].set(self.version_key, uuid.uuid4().hex, None)
        self.drop_copy()

    def drop_copy(self):
        """Read the version again on the next use (after the shared cache was cleared, say)."""
        self._copy = ("", None)
        self._recheck_at = 0.0


def drop_copies():
    """``drop_copy`` for every compiled value of this process."""
    for compiled in _instances:
        compiled.drop_copy()
