"""What the benchmarks that need Django share: the sandbox's settings and a throwaway database.

Import it before anything from Django:

    from harness import BROWSER, throwaway_database

DATABASE_URL picks PostgreSQL; SQLite by default, in a file.
"""

import contextlib
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.gettempdir()}/omni-benchmark.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import connection  # noqa: E402

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)


def serve_like_production():
    """What Django's test environment sets that a benchmark needs (the test client's host,
    DEBUG off, email kept in memory), without its instrumented template rendering, which
    copies every template's context for the test client: no shop pays that in production."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []


@contextlib.contextmanager
def throwaway_database():
    """A migrated test database for the benchmark, destroyed afterwards."""
    serve_like_production()
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = (
            f"{tempfile.gettempdir()}/omni-benchmark-test.sqlite3"
        )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor}, cache: {settings.CACHES['default']['BACKEND']}")
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
