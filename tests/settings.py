"""The sandbox's settings, with what a test run needs on top."""

from sandbox.settings import *  # noqa: F403

# Each test process keeps its own search index in memory.
HAYSTACK_CONNECTIONS = {
    "default": {"ENGINE": "haystack.backends.whoosh_backend.WhooshEngine", "STORAGE": "ram"}
}
# Hashing passwords the slow, safe way only slows the suite down.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Indexing on every save would lock the in-memory index; tests index explicitly.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"
