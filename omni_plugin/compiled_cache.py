"""Values compiled from the database once, shared through the plugin's cache.

Each process keeps the copy it last used; a request only reads the small version number
from the shared cache to know whether the copy is still current. ``forget`` (on every
change of what the value is built from) gives it a new version, so every process builds
or fetches it again on its next use.
"""

import uuid

from django.core.cache import caches

from .conf import omni_settings

TIMEOUT = 60 * 60 * 24


class CompiledCache:
    def __init__(self, name, build):
        self.version_key = f"omni:{name}:version"
        self.value_key = f"omni:{name}:compiled:{{version}}"
        self.build = build
        self._copy = ("", None)  # (version, value) this process used last

    def get(self):
        cache = caches[omni_settings.CACHE_ALIAS]
        version = cache.get(self.version_key)
        if version is None:
            cache.add(self.version_key, uuid.uuid4().hex, None)
            version = cache.get(self.version_key)
            if version is None:  # a cache that keeps nothing (omni.W009): build every time
                return self.build()
        if self._copy[0] == version:
            return self._copy[1]
        key = self.value_key.format(version=version)
        value = cache.get(key)
        if value is None:
            value = self.build()
            cache.set(key, value, TIMEOUT)
        self._copy = (version, value)
        return value

    def forget(self):
        caches[omni_settings.CACHE_ALIAS].set(self.version_key, uuid.uuid4().hex, None)
