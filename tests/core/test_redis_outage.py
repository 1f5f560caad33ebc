"""Redis restarted while visitors browse, basket and check out: pages still render with
the banners everyone sees, nothing written to the database is lost, and the outage is
logged once when it starts and once when it ends, not once per request."""

import logging

import pytest
import redis
from conftest import DESKTOP_BROWSER, add_to_basket, check_out
from django.test import Client
from oscar.core.loading import get_model

from omni_plugin.core import resilient_cache
from omni_plugin.core.compiled_cache import drop_copies
from omni_plugin.core.models import Event
from tests.banners.factories import headlines, make_banner, make_slot, variant
from tests.personalization.segment_factories import make_segment
from tests.redis_server import RedisServer, redis_server_path

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(redis_server_path() is None, reason="redis-server is not installed"),
]


@pytest.fixture
def redis_server(settings, monkeypatch):
    # Every request tries Redis again: the worst case for logging.
    monkeypatch.setattr(resilient_cache, "RETRY_SECONDS", 0)
    with RedisServer() as server:
        settings.CACHES = {
            "default": {
                "BACKEND": "omni_plugin.core.resilient_cache.ResilientRedisCache",
                "LOCATION": server.url,
            }
        }
        drop_copies()
        yield server


def test_pages_and_checkout_carry_on_while_redis_restarts_and_the_outage_is_logged_once(
    redis_server,
    home_page,
    product,
    shipping_country,
    caplog,  # noqa: F811
):
    customers = make_segment("Customers", ("visitor", {"kind": "logged_in"}))
    make_slot(
        "home-hero",
        make_banner(
            "Hero",
            variant("Members", targeting={"include_segments": [customers]}),
            variant("Everyone", fallback=True),
        ),
    )
    visitors = [Client(HTTP_USER_AGENT=DESKTOP_BROWSER) for _ in range(3)]
    product_page = product.get_absolute_url()

    def browse():
        for visitor in visitors:
            assert headlines(visitor.get("/")) == ["Everyone"]
            assert visitor.get(product_page).status_code == 200

    browse()
    views_before = Event.objects.filter(kind="product_viewed").count()
    with caplog.at_level(logging.INFO):
        redis_server.stop()
        for _ in range(5):
            browse()
        add_to_basket(visitors[0], product)
        check_out(visitors[0], guest_email="ada@example.com")
        redis_server.start()
        browse()

    outage_logs = [r for r in caplog.records if r.name == "omni_plugin.core.resilient_cache"]
    assert [r.levelname for r in outage_logs] == ["ERROR", "WARNING"]
    assert "cannot be reached" in outage_logs[0].getMessage()
    assert "answers again" in outage_logs[1].getMessage()
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == outage_logs
    assert Event.objects.filter(kind="product_viewed").count() == views_before + 6 * 3
    assert get_model("order", "Order").objects.filter(guest_email="ada@example.com").exists()
    assert redis.Redis.from_url(redis_server.url).keys("*"), "the cache is used again"
