"""Where a visitor is: client address through trusted proxies, CDN headers and GeoIP2."""

import json
import logging

import pytest
from conftest import DESKTOP_BROWSER
from django.test import Client
from mmdb_writer import MMDBWriter
from netaddr import IPSet
from wagtail.models import Page, Site

from omni_plugin.core.models import Event, Profile
from omni_plugin.geo.cdn import cdn_country
from omni_plugin.geo.client_ip import client_ip
from omni_plugin.geo.context import UNKNOWN
from omni_plugin.geo.request import geo_for_request
from sandbox.cms.models import HomePage
from sandbox.demo.geoip import DEMO_CITIES, city_record, write_city_database
from tests.banners.factories import headlines, make_banner, make_slot, variant

LONDON, MANCHESTER, EDINBURGH = (DEMO_CITIES[city][1] for city in DEMO_CITIES)
LONDON_V6 = "2a02:8010:1::5"
NOT_IN_DATABASE = "8.8.8.8"
PROXY = "10.0.0.2"


@pytest.fixture
def city_database(tmp_path, settings):
    settings.OMNI_GEOIP_PATH = str(write_city_database(tmp_path / "city.mmdb", DEMO_CITIES))
    settings.OMNI_TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8::/32"]
    return settings.OMNI_GEOIP_PATH


def request_from(rf, remote_addr, **headers):
    return rf.get("/", REMOTE_ADDR=remote_addr, **headers)


def city_of(rf, remote_addr, **headers):
    return geo_for_request(request_from(rf, remote_addr, **headers)).city


def test_an_address_is_placed_in_its_city(city_database, rf):
    geo = geo_for_request(request_from(rf, MANCHESTER))
    assert (geo.country, geo.region, geo.city, geo.time_zone) == (
        "GB",
        "England",
        "Manchester",
        "Europe/London",
    )
    assert geo.coordinates == pytest.approx((53.4794, -2.2453))
    assert geo.accuracy_km == 20


def test_forwarded_for_from_an_untrusted_peer_is_ignored(city_database, rf):
    assert city_of(rf, MANCHESTER, HTTP_X_FORWARDED_FOR=LONDON) == "Manchester"


def test_a_trusted_chain_is_walked_right_to_left(city_database, rf):
    # The client forged Edinburgh; the proxy at 10.0.0.1 saw Manchester connect.
    forwarded = f"{EDINBURGH}, {MANCHESTER}, 10.0.0.1"
    assert city_of(rf, PROXY, HTTP_X_FORWARDED_FOR=forwarded) == "Manchester"


def test_a_trusted_proxy_without_forwarded_for_is_not_a_visitor(city_database, rf):
    assert geo_for_request(request_from(rf, PROXY)) == UNKNOWN


def test_ipv6_clients_and_proxies(city_database, rf):
    assert city_of(rf, LONDON_V6) == "London"
    assert city_of(rf, "2001:db8::7", HTTP_X_FORWARDED_FOR=f"[{LONDON_V6}]:51000") == "London"
    assert city_of(rf, f"::ffff:{EDINBURGH}") == "Edinburgh"


@pytest.mark.parametrize(
    "remote_addr, forwarded",
    [
        ("127.0.0.1", ""),
        ("192.168.1.5", ""),
        ("::1", ""),
        ("fe80::1", ""),
        ("not-an-address", ""),
        (PROXY, "garbage"),
        (PROXY, f"{LONDON}, 300.1.2.3"),
        (PROXY, "192.168.0.4"),
    ],
)
def test_private_loopback_and_malformed_addresses_are_unknown(
    city_database, rf, remote_addr, forwarded
):
    request = request_from(rf, remote_addr, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) is None
    assert geo_for_request(request) == UNKNOWN


def test_cdn_country_is_honoured_only_from_a_trusted_peer(city_database, rf):
    from_cdn = request_from(rf, PROXY, HTTP_X_FORWARDED_FOR=LONDON, HTTP_CF_IPCOUNTRY="FR")
    assert cdn_country(from_cdn) == "FR"
    assert geo_for_request(from_cdn).country == "FR"
    assert geo_for_request(from_cdn).city == ""  # the database's London is not in France

    forged = request_from(rf, LONDON, HTTP_CF_IPCOUNTRY="FR")
    assert cdn_country(forged) == ""
    assert (geo_for_request(forged).country, geo_for_request(forged).city) == ("GB", "London")


def test_a_cdn_country_that_agrees_keeps_the_city(city_database, rf):
    request = request_from(
        rf, PROXY, HTTP_X_FORWARDED_FOR=EDINBURGH, HTTP_CLOUDFRONT_VIEWER_COUNTRY="gb"
    )
    assert geo_for_request(request).city == "Edinburgh"


@pytest.mark.parametrize(
    "header, value, country",
    [
        ("HTTP_CF_IPCOUNTRY", "DE", "DE"),
        ("HTTP_CF_IPCOUNTRY", "XX", ""),
        ("HTTP_CF_IPCOUNTRY", "T1", ""),
        ("HTTP_FASTLY_GEO_COUNTRY", "IE", "IE"),
        ("HTTP_X_AKAMAI_EDGESCAPE", "georegion=246,country_code=NL,region_code=NH", "NL"),
        ("HTTP_CF_IPCOUNTRY", "<script>", ""),
    ],
)
def test_cdn_headers(city_database, rf, header, value, country):
    assert cdn_country(request_from(rf, PROXY, **{header: value})) == country


def test_the_cdn_headers_are_configurable(city_database, rf, settings):
    settings.OMNI_CDN_COUNTRY_HEADERS = ["X-Country"]
    assert cdn_country(request_from(rf, PROXY, HTTP_X_COUNTRY="ES")) == "ES"
    assert cdn_country(request_from(rf, PROXY, HTTP_CF_IPCOUNTRY="ES")) == ""


def test_a_cdn_country_alone_places_the_visitor_without_a_database(rf, settings):
    settings.OMNI_TRUSTED_PROXIES = ["10.0.0.0/8"]
    geo = geo_for_request(request_from(rf, PROXY, HTTP_CF_IPCOUNTRY="GB"))
    assert (geo.country, geo.city) == ("GB", "")


def test_without_a_database_everyone_is_unknown(rf):
    assert geo_for_request(request_from(rf, LONDON)) == UNKNOWN


def test_a_missing_database_gives_unknown(rf, settings, tmp_path):
    settings.OMNI_GEOIP_PATH = str(tmp_path / "missing.mmdb")
    assert geo_for_request(request_from(rf, LONDON)) == UNKNOWN


def test_a_corrupt_database_gives_unknown(rf, settings, tmp_path):
    corrupt = tmp_path / "corrupt.mmdb"
    corrupt.write_bytes(b"\x00" * 512)
    settings.OMNI_GEOIP_PATH = str(corrupt)
    assert geo_for_request(request_from(rf, LONDON)) == UNKNOWN


def test_an_address_not_in_the_database_is_unknown(city_database, rf):
    assert geo_for_request(request_from(rf, NOT_IN_DATABASE)) == UNKNOWN


def test_a_country_database_gives_the_country(rf, settings, tmp_path):
    writer = MMDBWriter(ip_version=6, ipv4_compatible=True, database_type="GeoLite2-Country")
    writer.insert_network(IPSet(["81.2.69.0/24"]), {"country": {"iso_code": "GB"}})
    writer.to_db_file(str(tmp_path / "country.mmdb"))
    settings.OMNI_GEOIP_PATH = str(tmp_path / "country.mmdb")
    geo = geo_for_request(request_from(rf, LONDON))
    assert (geo.country, geo.city, geo.coordinates) == ("GB", "", None)


def test_a_record_without_a_city_is_placed_in_its_country(rf, settings, tmp_path):
    writer = MMDBWriter(ip_version=4, database_type="GeoIP2-City")
    record = city_record("", "", 54.0, -2.0)
    del record["city"], record["subdivisions"]
    writer.insert_network(IPSet(["81.2.69.0/24"]), record)
    writer.to_db_file(str(tmp_path / "city.mmdb"))
    settings.OMNI_GEOIP_PATH = str(tmp_path / "city.mmdb")
    geo = geo_for_request(request_from(rf, LONDON))
    assert (geo.country, geo.region, geo.city, geo.time_zone) == ("GB", "", "", "Europe/London")


def test_the_debug_location_applies_only_while_debugging(city_database, rf, settings):
    settings.OMNI_DEBUG_LOCATION = EDINBURGH
    settings.DEBUG = True
    assert city_of(rf, "127.0.0.1") == "Edinburgh"
    settings.DEBUG = False
    assert city_of(rf, "127.0.0.1") == ""


@pytest.mark.django_db
def test_the_profile_keeps_coarse_geo_and_device_but_never_the_address(
    city_database, client, product
):
    client.get(product.get_absolute_url(), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=MANCHESTER)
    profile = Profile.objects.get()
    assert profile.snapshot["geo"] == {
        "country": "GB",
        "region": "England",
        "city": "Manchester",
        "time_zone": "Europe/London",
    }
    assert profile.snapshot["device"] == "desktop"

    client.get(product.get_absolute_url(), REMOTE_ADDR=EDINBURGH)
    profile.refresh_from_db()
    assert profile.snapshot["geo"]["city"] == "Edinburgh"

    client.get(product.get_absolute_url(), REMOTE_ADDR="127.0.0.1")
    profile.refresh_from_db()
    assert profile.snapshot["geo"]["city"] == "Edinburgh"  # unknown keeps the last place
    stored = json.dumps([profile.snapshot, list(Event.objects.values())], default=str)
    assert not any(address in stored for address in (MANCHESTER, EDINBURGH, PROXY))


def test_request_omni_geo_comes_through_the_middleware(city_database, client):
    response = client.get("/shop/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{LONDON}, 10.9.9.9")
    assert response.wsgi_request.omni.geo.city == "London"


def test_pages_render_the_banners_for_everywhere_while_the_database_is_missing_said_once(
    db, settings, tmp_path, caplog
):
    settings.OMNI_GEOIP_PATH = str(tmp_path / "gone.mmdb")
    home = Page.get_first_root_node().add_child(instance=HomePage(title="Home", slug="geo-home"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": "localhost"}
    )
    make_slot(
        "home-hero",
        make_banner(
            "Hero",
            variant("Mancunians", targeting={"cities": "Manchester"}),
            variant("Everyone", fallback=True),
        ),
    )

    with caplog.at_level(logging.WARNING):
        for address in [LONDON, MANCHESTER, EDINBURGH] * 3:
            visitor = Client(HTTP_USER_AGENT=DESKTOP_BROWSER)
            assert headlines(visitor.get("/", REMOTE_ADDR=address)) == ["Everyone"]

    [warning] = caplog.records
    assert warning.getMessage().startswith(f"GeoIP2 database {tmp_path / 'gone.mmdb'} cannot")
