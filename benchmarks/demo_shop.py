"""The seeded demo shop that in-process benchmarks measure, in a database of their own.

    with demo_shop() as shop:
        ...  # Django is set up with the sandbox's settings on the shop's database

SQLite in a temporary directory, or a new PostgreSQL database on the server of
``DATABASE_URL`` (dropped afterwards); the local-memory cache, or Redis with
``REDIS_URL`` in a database of its own, apart from the tests'.
"""

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from tests.edge.servers import ShopData  # noqa: E402

#: A Redis database the test processes leave alone (they use one per xdist worker from 0).
REDIS_DATABASE = 13


@contextlib.contextmanager
def demo_shop():
    """Seed the demo shop, set Django up on it and yield it (``ShopData``; its
    ``directory.parent`` is a temporary directory for the benchmark's own files)."""
    with tempfile.TemporaryDirectory(prefix="omni-bench-") as directory:
        print("seeding the demo shop ...", flush=True)
        shop = ShopData(Path(directory) / "shop").create()
        try:
            _use(shop)
            import django

            django.setup()
            from django.conf import settings
            from django.db import connection

            print(f"database: {connection.vendor}, cache: {settings.CACHES['default']['BACKEND']}")
            yield shop
        finally:
            from django.db import connections

            connections.close_all()
            shop.remove()


def _use(shop):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="sandbox.settings",
        DATABASE_URL=shop.env["DATABASE_URL"],
        MEDIA_ROOT=str(shop.directory / "media"),
        DEBUG="0",
    )
    if os.environ.get("REDIS_URL"):
        redis = urlsplit(os.environ["REDIS_URL"])
        os.environ["REDIS_URL"] = redis._replace(path=f"/{REDIS_DATABASE}").geturl()
