import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from tests.push.shop import allow_push_service, use_vapid_identity
from tests.push.web_push_testing import HOST, WebPushTesting, unavailable_reason

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

    from omni_plugin.core.compiled_cache import drop_copies

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
    from tests.pos.factories import manchester_store

    return manchester_store()


@pytest.fixture
def till(store):
    """A till of the store calling the POS API with a key that has every scope."""
    from tests.pos.factories import till_of

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
    return get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)


def log_in(client, email):
    """Log in through Oscar's login form, as a customer does."""
    response = client.post(
        "/shop/accounts/login/",
        {"login-username": email, "login-password": PASSWORD, "login_submit": "1"},
    )
    assert response.status_code == 302, response.content[:1000]


def admin_browser(username, **user_fields):
    """A browser logged in to the Wagtail admin as a new user."""
    get_user_model().objects.create_user(username, password=PASSWORD, **user_fields)
    browser = Client()
    response = browser.post("/cms/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return browser


@pytest.fixture(scope="session")
def push_service():
    """web-push-testing on a free port, one per test process."""
    problem = unavailable_reason()
    if problem:
        pytest.skip(problem)
    with WebPushTesting() as service:
        yield service


@pytest.fixture
def shop_key(settings):
    """The shop's VAPID identity, with web-push-testing among the allowed push services."""
    allow_push_service(settings, HOST)
    return use_vapid_identity(settings)


@pytest.fixture
def home_page(db):
    """The shop's Wagtail home page, the default site's root."""
    from wagtail.models import Page, Site

    from sandbox.cms.models import HomePage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Welcome to the shop", slug="shop-home"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"root_page": home, "hostname": "localhost", "site_name": "Shop"},
    )
    return home
