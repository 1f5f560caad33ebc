from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",
}


def test_healthy_shop_answers_ok_and_is_never_cached(client):
    response = client.get("/omni/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_unreachable_cache_is_a_503_that_names_it(client, settings):
    settings.CACHES = {**settings.CACHES, "omni": UNREACHABLE_REDIS}
    settings.OMNI_CACHE_ALIAS = "omni"
    response = client.get("/omni/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "unavailable"}


def test_unreachable_database_is_a_503_that_names_it(client):
    with mock.patch("omni_plugin.core.health.connection.cursor", side_effect=OperationalError):
        response = client.get("/omni/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_dummy_cache_is_reported_disabled_not_down(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "omni": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    settings.OMNI_CACHE_ALIAS = "omni"
    response = client.get("/omni/health/")
    assert response.status_code == 200
    assert response.json()["cache"] == "disabled"


def test_only_reads_are_allowed(client):
    assert client.post("/omni/health/").status_code == 405
