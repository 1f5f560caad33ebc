"""Banners that know stores and alerts: "available to collect near you" shows what the
visitor's store has in stock, and "back in stock for you" what their alerts said is back."""

import re

import pytest
from conftest import log_in
from conftest import make_customer as make_user
from django.test import Client
from oscar.core.loading import get_model

from omni_plugin.stores.models import StockAlert
from sandbox.demo.geoip import DEMO_CITIES, write_city_database
from tests.banners.factories import make_banner, make_slot, variant
from tests.conftest import DESKTOP_BROWSER
from tests.personalization.factories import build, category, customer, item, ordered
from tests.stores.factories import (
    MANCHESTER_VISITOR,
    UNPLACED_VISITOR,
    create_store,
    store_stock,
)

pytestmark = pytest.mark.django_db

StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def city_database(tmp_path, settings):
    settings.OMNI_GEOIP_PATH = str(write_city_database(tmp_path / "city.mmdb", DEMO_CITIES))


@pytest.fixture
def stores(city_database):
    return {
        "MAN": create_store(
            "Oscar Omni Manchester", "MAN-01", 53.4668, -2.2339, pickup_enabled=True
        ),
        "LON": create_store("Oscar Omni London", "LON-01", 51.5142, -0.0931, pickup_enabled=True),
    }


@pytest.fixture
def catalogue(stores):
    """Three products everyone buys; Manchester has the lantern and the stove, London all."""
    outdoors = category("Outdoors")
    products = {name: item(name, outdoors) for name in ("Lantern", "Stove", "Hammock")}
    for name, product in products.items():
        store_stock(product, stores["LON"], 3)
        store_stock(product, stores["MAN"], 0 if name == "Hammock" else 2)
    for _ in range(3):
        ordered(customer(), *products.values())
    build()
    return products


def nearby_slot():
    make_slot(
        "basket",
        make_banner(
            "In our stores",
            variant("Nearby", ("collect_nearby", {"title": "Collect it near you"})),
            variant(
                "Everyone", ("creative", {"headline": "Delivered to your door"}), fallback=True
            ),
        ),
    )


def product_titles(html):
    return re.findall(r'<h3 class="mt-3"><a [^>]*title="([^"]+)"', html)


def test_a_visitor_sees_what_their_nearest_pickup_store_has_in_stock(client, catalogue):
    nearby_slot()

    html = client.get("/shop/basket/", REMOTE_ADDR=MANCHESTER_VISITOR).content.decode()

    assert "Collect it near you" in html
    assert sorted(product_titles(html)) == ["Lantern", "Stove"]
    assert "In stock at Oscar Omni Manchester, " in html and " km away" in html


def test_the_store_the_visitor_chose_wins_over_the_nearest(client, catalogue):
    nearby_slot()
    client.post("/omni/stores/choose/", {"store": "LON-01"}, REMOTE_ADDR=MANCHESTER_VISITOR)

    html = client.get("/shop/basket/", REMOTE_ADDR=MANCHESTER_VISITOR).content.decode()

    assert sorted(product_titles(html)) == ["Hammock", "Lantern", "Stove"]
    assert "In stock at Oscar Omni London" in html


def test_a_visitor_whose_place_is_unknown_gets_the_fallback(client, catalogue):
    nearby_slot()

    html = client.get("/shop/basket/", REMOTE_ADDR=UNPLACED_VISITOR).content.decode()

    assert "Delivered to your door" in html
    assert "Collect it near you" not in html


def test_a_product_back_in_stock_shows_for_the_visitor_whose_alert_fired(
    catalogue, django_capture_on_commit_callbacks
):
    lantern = catalogue["Lantern"]
    warehouse = lantern.stockrecords.get(partner__store__isnull=True)
    warehouse.num_in_stock = 0
    warehouse.save()
    make_slot(
        "basket",
        make_banner(
            "Back",
            variant("Back", ("back_in_stock", {})),
            variant("Everyone", ("creative", {"headline": "New this week"}), fallback=True),
        ),
    )
    waiting = Client(HTTP_USER_AGENT=DESKTOP_BROWSER)
    log_in(waiting, make_user("ann@example.com").email)
    with django_capture_on_commit_callbacks(execute=True):
        waiting.post(f"/omni/stores/alerts/ask/{lantern.pk}/", {"channel": "email"})
        warehouse.num_in_stock = 4
        warehouse.save()
    assert StockAlert.objects.get().status == "sent"

    html = waiting.get("/shop/basket/").content.decode()
    assert "Back in stock for you" in html
    assert product_titles(html) == ["Lantern"]

    other = Client(HTTP_USER_AGENT=DESKTOP_BROWSER).get("/shop/basket/").content.decode()
    assert "New this week" in other and "Back in stock for you" not in other
