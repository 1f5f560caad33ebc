"""Distances, nearest places, local times and device classes."""

from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from omni_plugin.geo.devices import BOT, DESKTOP, MOBILE, TABLET, device_class
from omni_plugin.geo.distance import haversine_km, nearest
from omni_plugin.geo.timezones import local_time, profile_local_time

LONDON = (51.5074, -0.1278)
MANCHESTER = (53.4808, -2.2426)
EDINBURGH = (55.9533, -3.1883)


def test_haversine_distance_between_cities():
    assert haversine_km(LONDON, MANCHESTER) == pytest.approx(262, abs=2)
    assert haversine_km(LONDON, EDINBURGH) == pytest.approx(534, abs=3)
    assert haversine_km(LONDON, LONDON) == 0


def test_nearest_places_nearest_first():
    stores = [
        SimpleNamespace(name="Edinburgh", coordinates=EDINBURGH),
        SimpleNamespace(name="Nowhere", coordinates=None),
        SimpleNamespace(name="London", coordinates=LONDON),
        SimpleNamespace(name="Manchester", coordinates=MANCHESTER),
    ]
    found = nearest((53.8, -1.55), stores, n=2)  # Leeds
    assert [store.name for _, store in found] == ["Manchester", "Edinburgh"]
    assert found[0][0] == pytest.approx(58, abs=3)
    assert nearest(LONDON, [], n=3) == []


def test_nearest_reads_coordinates_as_told():
    points = {"London": LONDON, "Edinburgh": EDINBURGH}
    assert nearest(EDINBURGH, points, coordinates=points.get)[0][1] == "Edinburgh"


def test_local_time_in_a_time_zone():
    noon_utc = datetime(2026, 7, 1, 12, tzinfo=timezone.utc)
    assert local_time("Europe/London", noon_utc).hour == 13
    assert local_time("Asia/Tokyo", noon_utc).hour == 21
    assert profile_local_time({"geo": {"time_zone": "America/New_York"}}, noon_utc).hour == 8


def test_an_unknown_time_zone_falls_back_to_the_sites(settings):
    settings.TIME_ZONE = "UTC"
    noon_utc = datetime(2026, 7, 1, 12, tzinfo=timezone.utc)
    assert local_time("Mars/Olympus_Mons", noon_utc).hour == 12
    assert profile_local_time({}, noon_utc).hour == 12


IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.mark.parametrize(
    "user_agent, expected",
    [(IPHONE, MOBILE), (IPAD, TABLET), (FIREFOX, DESKTOP), (GOOGLEBOT, BOT), ("curl/8.5", BOT)],
)
def test_device_classes(user_agent, expected):
    assert device_class(user_agent) == expected


def test_repeated_user_agents_are_parsed_once():
    device_class(IPHONE)
    hits = device_class.cache_info().hits
    device_class(IPHONE)
    assert device_class.cache_info().hits == hits + 1
