"""The sandbox served behind Varnish: settings of the origin the edge tests start.

``OMNI_EDGE_DATA_DIR`` names a directory of the run's own for the search index, the demo's
GeoIP2 database and media, so that the sandbox's own files stay untouched, and for the
Redis cache's key prefix, so that origins sharing a Redis database do not share entries;
without Redis, the cache is kept in files there.
"""

import hashlib
import os
from pathlib import Path

from sandbox.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
OMNI_TRUSTED_PROXIES = ["127.0.0.1/32"]

if "OMNI_SLOT_RENDER_MODE" in os.environ:
    OMNI_SLOT_RENDER_MODE = os.environ["OMNI_SLOT_RENDER_MODE"]
if "OMNI_PERSONALISATION_BY_DEFAULT" in os.environ:
    OMNI_PERSONALISATION_BY_DEFAULT = os.environ["OMNI_PERSONALISATION_BY_DEFAULT"] == "1"
if "OMNI_EDGE_PURGE_URLS" in os.environ:
    OMNI_EDGE_PURGE_URLS = [url for url in os.environ["OMNI_EDGE_PURGE_URLS"].split(",") if url]

if "OMNI_EDGE_DATA_DIR" in os.environ:
    EDGE_DATA_DIR = Path(os.environ["OMNI_EDGE_DATA_DIR"])
    MEDIA_ROOT = EDGE_DATA_DIR / "media"
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
            "PATH": str(EDGE_DATA_DIR / "search-index"),
        }
    }
    DEMO_GEOIP_DATABASE = EDGE_DATA_DIR / "demo-city.mmdb"
    OMNI_GEOIP_PATH = str(DEMO_GEOIP_DATABASE) if DEMO_GEOIP_DATABASE.is_file() else None
    if REDIS_URL:  # noqa: F405
        directory_hash = hashlib.sha1(str(EDGE_DATA_DIR).encode()).hexdigest()[:12]
        CACHES["default"]["KEY_PREFIX"] = f"omni-edge-{directory_hash}"  # noqa: F405
    else:
        # gunicorn's workers and management commands are processes of their own: a cache in
        # files lets them share the compiled banners' version, as Redis does.
        CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(EDGE_DATA_DIR / "cache"),
            }
        }
