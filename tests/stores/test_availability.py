"""A product's stock in the stores on its page, and choosing one's store."""

import re
import shutil
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from omni_plugin.core.models import Event, Profile
from omni_plugin.stores.models import Store
from sandbox.demo.geoip import DEMO_CITIES, write_city_database
from tests.conftest import DESKTOP_BROWSER
from tests.stores.factories import (
    MANCHESTER_VISITOR,
    MONDAY_NOON,
    SUNDAY_EVENING,
    UNPLACED_VISITOR,
    create_store,
)

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

CHOOSE = "/omni/stores/choose/"


@pytest.fixture
def city_database(tmp_path, settings):
    settings.OMNI_GEOIP_PATH = str(write_city_database(tmp_path / "city.mmdb", DEMO_CITIES))


@pytest.fixture
def monday_noon():
    with time_machine.travel(MONDAY_NOON, tick=False):
        yield


@pytest.fixture
def stores(city_database):
    return {
        "LON-01": create_store("Oscar Omni London", "LON-01", 51.5142, -0.0931),
        "MAN-01": create_store("Oscar Omni Manchester", "MAN-01", 53.4668, -2.2339),
        "EDI-01": create_store("Oscar Omni Edinburgh", "EDI-01", 55.9533, -3.1883),
    }


@pytest.fixture
def mug(stores):
    """In stock online, at Manchester (2 left after allocations) and Edinburgh, not London."""
    product = create_product(title="Enamel Camping Mug", price="12.50", num_in_stock=10)
    for code, num_in_stock, num_allocated in (("MAN-01", 3, 1), ("LON-01", 0, 0), ("EDI-01", 5, 0)):
        StockRecord.objects.create(
            product=product,
            partner=stores[code].partner,
            partner_sku=f"{code}-MUG",
            price=Decimal("12.50"),
            num_in_stock=num_in_stock,
            num_allocated=num_allocated,
        )
    return product


def text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def fragment(client, product, ip=MANCHESTER_VISITOR):
    response = client.get(f"/omni/stores/availability/{product.pk}/", REMOTE_ADDR=ip)
    assert response.status_code == 200
    return response


def headline(response):
    html = response.content.decode()
    found = re.search(
        r'class="store-availability-headline[^"]*" data-store="([^"]+)">(.*?)</p>', html, re.S
    )
    return found.group(1), text(found.group(2))


def other_stores(response):
    """Each other store's code and line, in the fragment's order."""
    html = response.content.decode()
    lines = re.findall(
        r'<li class="store-availability-store[^"]*" data-store="([^"]+)">(.*?)</li>', html, re.S
    )
    return [(code, text(line)) for code, line in lines]


def test_the_nearest_store_leads_with_its_stock_distance_and_closing_time(client, mug, monday_noon):
    response = fragment(client, mug)

    assert headline(response) == (
        "MAN-01",
        "In stock at Oscar Omni Manchester (1.6 km), open until 20:00",
    )
    others = other_stores(response)
    assert [code for code, _ in others] == ["LON-01", "EDI-01"]
    assert "Oscar Omni London · 263 km · Out of stock · Open until 20:00" in others[0][1]
    assert "Oscar Omni Edinburgh · 282 km · In stock · Open until 20:00" in others[1][1]


def test_a_store_whose_stock_is_all_allocated_is_out_of_stock(client, mug, stores, monday_noon):
    StockRecord.objects.filter(partner=stores["MAN-01"].partner).update(num_allocated=3)

    assert headline(fragment(client, mug)) == (
        "MAN-01",
        "Out of stock at Oscar Omni Manchester (1.6 km), open until 20:00",
    )


def test_closed_stores_say_when_they_open_again_on_their_own_clock(client, mug):
    with time_machine.travel(SUNDAY_EVENING, tick=False):
        response = fragment(client, mug)

    assert headline(response)[1] == (
        "In stock at Oscar Omni Manchester (1.6 km), closed · opens Monday 09:00"
    )
    assert all("Closed · opens Monday 09:00" in line for _, line in other_stores(response))


def test_without_a_location_the_stores_come_by_name_without_distances(client, mug, monday_noon):
    response = fragment(client, mug, ip=UNPLACED_VISITOR)

    assert headline(response) == (
        "EDI-01",
        "In stock at Oscar Omni Edinburgh, open until 20:00",
    )
    assert [code for code, _ in other_stores(response)] == ["LON-01", "MAN-01"]
    assert " km" not in text(response.content.decode())


def test_inactive_stores_are_left_out(client, mug, stores, monday_noon):
    Store.objects.filter(code="LON-01").update(active=False)

    response = fragment(client, mug)

    assert [code for code, _ in other_stores(response)] == ["EDI-01"]


def test_the_chosen_store_leads_and_is_remembered_in_the_profile(client, mug, monday_noon):
    response = client.post(
        CHOOSE, {"store": "edi-01", "next": mug.get_absolute_url()}, REMOTE_ADDR=MANCHESTER_VISITOR
    )

    assert response.status_code == 302
    assert response["Location"] == mug.get_absolute_url()
    response = fragment(client, mug)
    assert headline(response) == (
        "EDI-01",
        "In stock at Oscar Omni Edinburgh (282 km), open until 20:00",
    )
    assert "Your store." in text(response.content.decode())
    assert [code for code, _ in other_stores(response)] == ["MAN-01", "LON-01"]
    profile = Profile.objects.get()
    assert profile.snapshot["store"] == "EDI-01"
    assert list(profile.events.values_list("kind", "data")) == [
        ("store_chosen", {"store": "EDI-01"})
    ]


def test_the_latest_choice_wins(client, mug, monday_noon):
    client.post(CHOOSE, {"store": "EDI-01"})
    client.post(CHOOSE, {"store": "LON-01"})

    assert headline(fragment(client, mug))[0] == "LON-01"
    assert Profile.objects.get().snapshot["store"] == "LON-01"


def test_the_store_locator_marks_the_chosen_store_and_offers_the_others(client, stores):
    response = client.post(CHOOSE, {"store": "MAN-01"})

    assert response["Location"] == "/omni/stores/"
    page = client.get("/omni/stores/").content.decode()
    cards = dict(re.findall(r'<li class="store[^"]*" data-store="([^"]+)">(.*?)</li>', page, re.S))
    assert "Your store" in text(cards["MAN-01"])
    assert "Choose this store" not in text(cards["MAN-01"])
    assert "Choose this store" in text(cards["LON-01"])
    assert 'name="csrfmiddlewaretoken"' in cards["LON-01"]


def test_the_fragment_is_private_to_the_visitor_and_never_stale(client, mug, monday_noon):
    response = fragment(client, mug)

    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert directives == {"private", "max-age=0"}


def test_the_product_page_holds_a_placeholder_not_the_visitors_stores(client, mug, monday_noon):
    response = client.get(mug.get_absolute_url(), REMOTE_ADDR=MANCHESTER_VISITOR)

    html = response.content.decode()
    assert f'data-omni-store-availability="/omni/stores/availability/{mug.pk}/"' in html
    assert "omni/stores/availability.js" in html
    assert re.search(r'<noscript><a href="/omni/stores/">[^<]+</a></noscript>', html)
    assert "Oscar Omni Manchester" not in html


def test_an_unknown_product_is_not_found(client, stores):
    assert client.get("/omni/stores/availability/999999/").status_code == 404


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"store": "XYZ-99"}, "“XYZ-99” is not one of our stores"),
        ({"store": "LON-01"}, "“LON-01” is not one of our stores"),  # closed down below
        ({"store": ""}, "the “store” field is empty"),
        ({}, "the “store” field is empty"),
    ],
)
def test_choosing_a_store_that_cannot_be_chosen_is_refused_and_records_nothing(
    client, stores, form, message
):
    Store.objects.filter(code="LON-01").update(active=False)

    response = client.post(CHOOSE, form)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Event.objects.exists()
    assert not Profile.objects.exists()


def test_choosing_a_store_needs_the_csrf_token(stores):
    browser = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=DESKTOP_BROWSER)

    response = browser.post(CHOOSE, {"store": "MAN-01"})

    assert response.status_code == 403
    assert not Event.objects.exists()


def test_choosing_leads_back_only_to_pages_of_this_site(client, stores):
    response = client.post(CHOOSE, {"store": "MAN-01", "next": "https://evil.example/"})

    assert response["Location"] == "/omni/stores/"


def test_the_fragment_costs_the_same_queries_however_many_stores_there_are(
    client, mug, monday_noon, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as with_three_stores:
        fragment(client, mug)
    for number in range(20):
        store = create_store(f"Store {number:02}", f"S-{number:02}", 52 + number / 10, -1.5)
        StockRecord.objects.create(
            product=mug, partner=store.partner, partner_sku=f"S-{number:02}", num_in_stock=1
        )

    client.cookies.clear()  # a new visitor again, like the first time
    with django_assert_max_num_queries(len(with_three_stores)):
        response = fragment(client, mug)

    assert len(other_stores(response)) == 22


def test_a_bots_choice_is_not_remembered(stores):
    bot = Client(HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)")

    response = bot.post(CHOOSE, {"store": "MAN-01"})

    assert response.status_code == 403
    assert not Event.objects.exists()


CHROMIUM = shutil.which("chromium")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_the_script_fills_the_placeholder_and_chooses_a_store(live_server, mug):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_context(user_agent=DESKTOP_BROWSER).new_page()
        page.goto(live_server.url + mug.get_absolute_url())
        headline = page.locator(".store-availability-headline")
        # The browser comes from a local address: no location, the first store by name leads.
        sync_api.expect(headline).to_contain_text("In stock at Oscar Omni Edinburgh")

        page.get_by_role("button", name="Choose this store: Oscar Omni Manchester").click()

        sync_api.expect(headline).to_contain_text("In stock at Oscar Omni Manchester")
        sync_api.expect(page.locator(".store-availability-yours")).to_have_text("Your store.")
        assert page.url == live_server.url + mug.get_absolute_url()
        browser.close()
