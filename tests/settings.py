"""The sandbox's settings, with what a test run needs on top."""

import atexit
import shutil
import tempfile

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
