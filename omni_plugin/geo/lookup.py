"""GeoIP2 lookups: one database reader per process, results cached per address.

A database that is not configured, missing or broken makes every lookup ``UNKNOWN``;
``omni_plugin.geo.checks`` reports the broken ones.
"""

import logging
import threading
from functools import lru_cache

import geoip2.database
import geoip2.errors
import maxminddb
from django.core.signals import setting_changed

from omni_plugin.conf import omni_settings

from .context import UNKNOWN, GeoContext

logger = logging.getLogger(__name__)
CACHED_ADDRESSES = 16384
_lock = threading.Lock()
_readers = {}  # path -> Reader, or None when the file could not be opened


def open_reader(path):
    """A ``geoip2.database.Reader`` on ``path``; raises when the file is not a database."""
    return geoip2.database.Reader(str(path))


def reader():
    """The process's reader on OMNI_GEOIP_PATH, or None."""
    path = omni_settings.GEOIP_PATH
    if path is None:
        return None
    try:
        return _readers[path]
    except KeyError:
        pass
    with _lock:
        if path not in _readers:
            try:
                _readers[path] = open_reader(path)
            except (OSError, ValueError, maxminddb.InvalidDatabaseError) as error:
                logger.warning("GeoIP2 database %s cannot be read: %s", path, error)
                _readers[path] = None
        return _readers[path]


def read_location(database, address):
    """A ``GeoContext`` straight from the database, for a City or a Country database."""
    try:
        if "City" in database.metadata().database_type:
            found = database.city(address)
        else:
            found = database.country(address)
    except (geoip2.errors.AddressNotFoundError, ValueError, maxminddb.InvalidDatabaseError):
        return UNKNOWN
    city = getattr(found, "city", None)
    location = getattr(found, "location", None)
    subdivision = found.subdivisions.most_specific if hasattr(found, "subdivisions") else None
    return GeoContext(
        country=found.country.iso_code or "",
        region=(subdivision.name if subdivision else None) or "",
        city=(city.name if city else None) or "",
        time_zone=(location.time_zone if location else None) or "",
        latitude=location.latitude if location else None,
        longitude=location.longitude if location else None,
        accuracy_km=location.accuracy_radius if location else None,
    )


@lru_cache(maxsize=CACHED_ADDRESSES)
def lookup(address):
    """The location of an IP address (a string), or ``UNKNOWN``."""
    database = reader()
    if database is None:
        return UNKNOWN
    return read_location(database, address)


def reset():
    """Forget the readers and cached results, after OMNI_GEOIP_PATH changes."""
    with _lock:
        for database in _readers.values():
            if database is not None:
                database.close()
        _readers.clear()
    lookup.cache_clear()


def _reset_on_change(*, setting, **kwargs):
    if setting == "OMNI_GEOIP_PATH":
        reset()


setting_changed.connect(_reset_on_change)
