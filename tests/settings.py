"""The sandbox's settings, with what a test run needs on top."""

import atexit
import shutil
import tempfile
from pathlib import Path

from sandbox.settings import *  # noqa: F403

# Each test process keeps its own search index, removed when the process ends.
SEARCH_INDEX_DIR = tempfile.mkdtemp(prefix="omni-test-index-")
atexit.register(shutil.rmtree, SEARCH_INDEX_DIR, ignore_errors=True)
HAYSTACK_CONNECTIONS = {
    "default": {"ENGINE": "haystack.backends.whoosh_backend.WhooshEngine", "PATH": SEARCH_INDEX_DIR}
}
# Tests index explicitly (the demo data does); indexing every saved product is slow.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"
# Hashing passwords the slow, safe way only slows the suite down.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests build their own GeoIP2 databases: the demo writes its own into a throwaway
# directory, and the sandbox's, when written, plays no part.
DEMO_GEOIP_DATABASE = Path(tempfile.mkdtemp(prefix="omni-test-geoip-")) / "demo-city.mmdb"
atexit.register(shutil.rmtree, DEMO_GEOIP_DATABASE.parent, ignore_errors=True)
OMNI_GEOIP_PATH = None
