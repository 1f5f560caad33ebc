import re

import pytest
from django.conf import settings
from django.test import override_settings


def _worker_number(worker_id):
    return 0 if worker_id == "master" else int(worker_id.removeprefix("gw"))


def _caches_for_worker(worker_number):
    """Give each xdist worker its own Redis database: clearing a cache flushes a whole one."""
    caches = {alias: dict(config) for alias, config in settings.CACHES.items()}
    for config in caches.values():
        location = config.get("LOCATION")
        if config["BACKEND"].endswith("RedisCache") and isinstance(location, str):
            base = re.search(r"/(\d+)$", location)
            database = (int(base.group(1)) if base else 0) + worker_number
            config["LOCATION"] = re.sub(r"(/\d+)?$", f"/{database % 16}", location, count=1)
    return caches


@pytest.fixture(scope="session", autouse=True)
def isolated_media_and_cache(tmp_path_factory, worker_id):
    with override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        CACHES=_caches_for_worker(_worker_number(worker_id)),
    ):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
