"""Varnish with docs/varnish/omni.vcl in front of the demo shop served by gunicorn.

The servers run in processes of their own, one pair per xdist worker, on free ports: the
tests talk HTTP to them and never touch the test database. The demo shop is migrated and
seeded once per run; each origin starts from a copy.
"""

import os
import uuid

import pytest

from .servers import Origin, Varnish, gunicorn_path, shared_demo_shop, varnish_available


@pytest.fixture(scope="session")
def worker_id():
    """xdist's fixture, which the suite's conftest needs, for runs with -p no:xdist too."""
    return os.environ.get("PYTEST_XDIST_WORKER", "master")


@pytest.fixture(scope="session")
def demo_shop():
    if gunicorn_path() is None:
        pytest.skip("gunicorn is not installed: pip install -e '.[test]'")
    if not varnish_available():
        pytest.skip("varnishd is not installed: apt-get install varnish")
    with shared_demo_shop(os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex) as shop:
        yield shop


@pytest.fixture(scope="session")
def origin(demo_shop):
    with Origin(shop=demo_shop) as origin:
        yield origin


@pytest.fixture(scope="session")
def edge(origin):
    with Varnish(origin.port) as edge:
        yield edge
