"""The store locator page: nearest stores first, their opening status and click and collect."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from omni_plugin.stores.models import OpeningException, Store
from sandbox.demo.geoip import DEMO_CITIES, write_city_database
from tests.stores.factories import (
    MANCHESTER_VISITOR,
    MONDAY_NOON,
    SUNDAY_EVENING,
    UNPLACED_VISITOR,
    create_store,
)

pytestmark = pytest.mark.django_db

LOCATOR = "/omni/stores/"


@pytest.fixture
def city_database(tmp_path, settings):
    settings.OMNI_GEOIP_PATH = str(write_city_database(tmp_path / "city.mmdb", DEMO_CITIES))


@pytest.fixture
def frozen_time(monkeypatch):
    """Sets the moment the page is served at."""

    def freeze(moment):
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)

    return freeze


@pytest.fixture
def stores():
    return [
        create_store("Oscar Omni London", "LON-01", 51.5142, -0.0931, pickup_enabled=True),
        create_store(
            "Oscar Omni Manchester",
            "MAN-01",
            53.4668,
            -2.2339,
            line1="12 Oxford Road",
            phone="+44 161 000 0000",
            pickup_enabled=True,
        ),
        create_store("Oscar Omni Edinburgh", "EDI-01", 55.9533, -3.1883),
    ]


def visit(client, ip=UNPLACED_VISITOR):
    response = client.get(LOCATOR, REMOTE_ADDR=ip)
    assert response.status_code == 200
    return response


def store_cards(response):
    """Each listed store's code and its card's text, in the page's order."""
    html = response.content.decode()
    cards = re.findall(r'<li class="store[^"]*" data-store="([^"]+)">(.*?)</li>', html, re.S)
    return [(code, " ".join(re.sub(r"<[^>]+>", " ", card).split())) for code, card in cards]


def card(response, code):
    return dict(store_cards(response))[code]


def test_a_visitor_sees_the_nearest_store_first_with_its_distance(
    client, city_database, stores, frozen_time
):
    frozen_time(MONDAY_NOON)

    response = visit(client, MANCHESTER_VISITOR)

    assert [code for code, _ in store_cards(response)] == ["MAN-01", "LON-01", "EDI-01"]
    assert "1.6 km" in card(response, "MAN-01")
    assert "263 km" in card(response, "LON-01")
    assert "282 km" in card(response, "EDI-01")
    assert "Nearest to you first, as seen from around Manchester." in response.content.decode()


def test_each_store_shows_its_address_phone_and_click_and_collect(
    client, city_database, stores, frozen_time
):
    frozen_time(MONDAY_NOON)

    response = visit(client, MANCHESTER_VISITOR)

    manchester = card(response, "MAN-01")
    assert "Oscar Omni Manchester" in manchester
    assert "12 Oxford Road" in manchester
    assert "+44 161 000 0000" in manchester
    assert "Click & collect available" in manchester
    assert "No click & collect" in card(response, "EDI-01")


def test_without_a_location_stores_are_listed_by_name_and_the_distance_is_unknown(
    client, city_database, stores, frozen_time
):
    frozen_time(MONDAY_NOON)

    response = visit(client, UNPLACED_VISITOR)

    assert [code for code, _ in store_cards(response)] == ["EDI-01", "LON-01", "MAN-01"]
    assert "We don't know where you are" in response.content.decode()
    assert not any(" km" in text for _, text in store_cards(response))


def test_with_the_plugin_switched_off_the_stores_are_still_listed_by_name(
    client, settings, city_database, stores, frozen_time
):
    settings.OMNI_ENABLED = False
    frozen_time(MONDAY_NOON)

    response = visit(client, MANCHESTER_VISITOR)

    assert [code for code, _ in store_cards(response)] == ["EDI-01", "LON-01", "MAN-01"]


def test_inactive_stores_are_not_listed(client, city_database, stores, frozen_time):
    frozen_time(MONDAY_NOON)
    Store.objects.filter(code="LON-01").update(active=False)

    for ip in (MANCHESTER_VISITOR, UNPLACED_VISITOR):
        codes = [code for code, _ in store_cards(visit(client, ip))]
        assert "LON-01" not in codes
        assert codes


def test_an_open_store_says_until_when_on_its_own_clock(client, stores, frozen_time):
    create_store("Oscar Omni Manhattan", "NYC-01", 40.7128, -74.006, time_zone="America/New_York")
    frozen_time(MONDAY_NOON)  # 07:00 in New York

    response = visit(client)

    assert "Open until 20:00" in card(response, "LON-01")
    assert "Closed · opens Monday 09:00" in card(response, "NYC-01")


def test_a_closed_store_says_when_it_next_opens(client, stores, frozen_time):
    create_store("Oscar Omni Manhattan", "NYC-01", 40.7128, -74.006, time_zone="America/New_York")
    frozen_time(SUNDAY_EVENING)  # 13:00 in New York

    response = visit(client)

    assert "Closed · opens Monday 09:00" in card(response, "LON-01")
    assert "Open until 17:00" in card(response, "NYC-01")


def test_an_exception_changes_the_status(client, stores, frozen_time):
    OpeningException.objects.create(
        store=Store.objects.get(code="LON-01"), date=MONDAY_NOON.date(), closed=True
    )
    frozen_time(MONDAY_NOON)

    response = visit(client)

    assert "Closed · opens Tuesday 09:00" in card(response, "LON-01")
    assert "Open until 20:00" in card(response, "MAN-01")


def test_names_are_escaped(client, frozen_time):
    create_store("<b>Bold</b> & Co", "BOLD-01", 51.5, -0.1)
    frozen_time(MONDAY_NOON)

    html = visit(client).content.decode()

    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in html
    assert "<b>Bold</b>" not in html


def test_the_page_is_private_to_the_visitor(client, stores):
    response = visit(client, MANCHESTER_VISITOR)

    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "max-age=0"} <= directives
    assert "public" not in directives


def test_the_shop_links_to_the_page(client):
    assert f'href="{LOCATOR}"' in client.get("/shop/", follow=True).content.decode()


def test_the_number_of_queries_does_not_grow_with_the_stores(
    client, city_database, stores, frozen_time, django_assert_max_num_queries
):
    frozen_time(MONDAY_NOON)
    with CaptureQueriesContext(connection) as with_three_stores:
        visit(client, MANCHESTER_VISITOR)
    for number in range(20):
        store = create_store(f"Store {number:02}", f"S-{number:02}", 52 + number / 10, -1.5)
        OpeningException.objects.create(store=store, date=MONDAY_NOON.date(), closed=True)

    client.cookies.clear()  # a new visitor again, like the first time
    with django_assert_max_num_queries(len(with_three_stores)):
        response = visit(client, MANCHESTER_VISITOR)

    assert len(store_cards(response)) == 23
