import re

import pytest
from django.conf import settings
from django.test import Client, override_settings

DESKTOP_BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


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

    from omni_plugin.compiled_cache import drop_copies

    for cache in caches.all():
        cache.clear()
    drop_copies()
    yield


@pytest.fixture
def client():
    """A test client that presents itself as a desktop browser, as visitors do."""
    return Client(HTTP_USER_AGENT=DESKTOP_BROWSER)


@pytest.fixture
def category(db):
    from oscar.test.factories import CategoryFactory

    return CategoryFactory(name="Mugs")


@pytest.fixture
def product(category):
    """A product in stock at 12.50, in the Mugs category."""
    from oscar.test.factories import create_product

    product = create_product(title="Enamel Camping Mug", price="12.50", num_in_stock=10)
    product.categories.add(category)
    return product


@pytest.fixture
def store(db):
    """Manchester, the store of the POS API's tills."""
    from tests.pos import manchester_store

    return manchester_store()


@pytest.fixture
def till(store):
    """A till of the store calling the POS API with a key that has every scope."""
    from tests.pos import till_of

    return till_of(store)


@pytest.fixture
def shipping_country(db):
    from oscar.core.loading import get_model

    Country = get_model("address", "Country")
    country, _ = Country.objects.get_or_create(
        iso_3166_1_a2="GB",
        defaults={
            "name": "United Kingdom",
            "printable_name": "United Kingdom",
            "is_shipping_country": True,
        },
    )
    return country


ADDRESS = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "line1": "12 St James's Square",
    "line4": "London",
    "postcode": "SW1Y 4JH",
    "country": "GB",
}


def add_to_basket(client, product, quantity=1):
    response = client.post(f"/shop/basket/add/{product.pk}/", {"quantity": quantity})
    assert response.status_code == 302, response.content[:500]


def check_out(client, guest_email=None):
    """Go through Oscar's real checkout; returns the thank-you page's response."""
    if guest_email:
        response = client.post("/shop/checkout/", {"username": guest_email, "options": "anonymous"})
        assert response.status_code == 302, response.content[:2000]
    response = client.post("/shop/checkout/shipping-address/", ADDRESS, follow=True)
    assert response.status_code == 200
    response = client.post("/shop/checkout/preview/", {"action": "place_order"}, follow=True)
    assert response.status_code == 200
    assert "order" in response.context, response.content[:3000]
    return response


PASSWORD = "correct-horse-battery"


def make_customer(email):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)


def log_in(client, email):
    """Log in through Oscar's login form, as a customer does."""
    response = client.post(
        "/shop/accounts/login/",
        {"login-username": email, "login-password": PASSWORD, "login_submit": "1"},
    )
    assert response.status_code == 302, response.content[:1000]
