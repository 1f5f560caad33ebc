"""The production topology: PostgreSQL, Redis and real Celery workers.

These tests run when ``DATABASE_URL`` is PostgreSQL and ``REDIS_URL`` is set (the second
run of ``.ci/run``), and are skipped with the reason otherwise. Workers are processes of
their own: the tests commit what they write (``transactional_db``) and point the workers
at the test database.
"""

import os
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import override_settings

from tests.integration.workers import ON_CELERY, Broker

#: A Redis database the suite's caches leave alone: the broker's, with a key prefix per run.
BROKER_DATABASE = 15


def pytest_collection_modifyitems(items):
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        reason = "needs PostgreSQL: set DATABASE_URL=postgres://..."
    elif not os.environ.get("REDIS_URL"):
        reason = "needs Redis: set REDIS_URL=redis://..."
    else:
        reason = None
    for item in items:
        if "tests/integration/" in str(item.fspath):
            item.add_marker(pytest.mark.integration)
            if reason:
                item.add_marker(pytest.mark.skip(reason=f"Integration test {reason}"))


@pytest.fixture(scope="session")
def redis_broker():
    url = urlsplit(os.environ["REDIS_URL"])._replace(path=f"/{BROKER_DATABASE}").geturl()
    with Broker(url) as broker:
        yield broker


@pytest.fixture
def broker(redis_broker):
    """The broker, with the plugin's tasks sent to it rather than run in-process."""
    with override_settings(TASKS=ON_CELERY):
        yield redis_broker


@pytest.fixture
def database_url(transactional_db):
    """The URL of the test database, which the test's writes are committed to."""
    server = urlsplit(os.environ["DATABASE_URL"])
    return server._replace(path=f"/{connection.settings_dict['NAME']}").geturl()
