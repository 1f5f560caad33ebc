import json
from decimal import Decimal

import pytest
from django.shortcuts import resolve_url
from django.test import Client
from oscar.test.factories import create_product

from omni_plugin.core.consent import allows
from omni_plugin.core.models import Consent, Event, Identifier, Profile

pytestmark = pytest.mark.django_db

LOGIN = "/shop/accounts/login/"
PRIVACY = "/omni/account/privacy/"
DOWNLOAD = "/omni/account/privacy/download/"
ERASE = "/omni/account/privacy/erase/"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def customer(django_user_model):
    return django_user_model.objects.create_user(
        username="ann", email="ann@example.com", password=PASSWORD
    )


@pytest.fixture
def product():
    return create_product(title="Enamel Mug", price=Decimal("12.50"), num_in_stock=5)


@pytest.fixture
def browser(client, customer, product):
    """Ann's browser: she looked at a mug, then logged in through the shop's login form."""
    client.get(product.get_absolute_url())
    response = client.post(
        LOGIN,
        {"login-username": customer.email, "login-password": PASSWORD, "login_submit": "1"},
    )
    assert response.status_code == 302
    return client


def profile_of(user):
    return Profile.objects.get(identifiers__kind="user", identifiers__value=str(user.pk))


def visitor_of(response):
    return response.wsgi_request.omni.visitor_id


@pytest.mark.parametrize("url", [PRIVACY, DOWNLOAD, ERASE])
def test_the_pages_are_for_logged_in_customers(client, settings, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))


def test_the_page_lists_every_purpose_in_the_account_layout(browser):
    response = browser.get(PRIVACY)

    html = response.content.decode()
    assert response.status_code == 200
    assert "oscar/customer/baseaccountpage.html" in [t.name for t in response.templates]
    for purpose in ["personalisation", "profiling", "email", "push", "sms"]:
        assert f'data-purpose="{purpose}"' in html
    assert html.count("Not chosen yet: not allowed") == 5
    assert "Download my data" in html and "Erase my profile" in html


def test_withdrawing_stops_personalisation(browser, customer, settings):
    settings.OMNI_PERSONALISATION_BY_DEFAULT = True
    assert allows(profile_of(customer).snapshot, "personalisation") is True

    response = browser.post(
        PRIVACY, {"purpose": "personalisation", "status": "withdrawn"}, follow=True
    )

    assert allows(profile_of(customer).snapshot, "personalisation") is False
    html = response.content.decode()
    assert "Personalisation is no longer allowed." in html
    assert "Withdrawn" in html and "(account page)" in html
    assert Consent.objects.get().source == "account page"


def test_granting_email_gives_a_customer_without_a_profile_one(client, customer):
    client.force_login(customer)
    visitor = visitor_of(client.get(PRIVACY))
    assert not Profile.objects.exists()

    client.post(PRIVACY, {"purpose": "email", "status": "granted"})

    profile = profile_of(customer)
    assert allows(profile.snapshot, "email") is True
    assert profile.identifiers.filter(kind="visitor", value=visitor).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"purpose": "telepathy", "status": "granted"},
        {"purpose": "email", "status": "maybe"},
        {"purpose": "email"},
    ],
)
def test_bad_input_shows_an_error_and_changes_nothing(browser, data):
    response = browser.post(PRIVACY, data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'class="alert alert-danger"' in response.content.decode()
    assert not Consent.objects.exists()


def test_changes_need_the_csrf_token(customer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(customer)

    assert client.post(PRIVACY, {"purpose": "email", "status": "granted"}).status_code == 403
    assert client.post(ERASE, {"confirm": "on"}).status_code == 403
    assert not Consent.objects.exists()


def test_the_download_is_a_json_file_of_the_customers_data(browser, customer, product):
    response = browser.get(DOWNLOAD)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('.json"')
    assert "no-store" in response["Cache-Control"]
    export = json.loads(response.content)
    identifiers = {(i["kind"], i["value"]) for i in export["identifiers"]}
    assert {("user", str(customer.pk)), ("email", "ann@example.com")} <= identifiers
    viewed = [e for e in export["events"] if e["kind"] == "product_viewed"]
    assert [e["product_id"] for e in viewed] == [product.pk]


def test_a_customer_without_a_profile_is_told_there_is_nothing_to_download(client, customer):
    client.force_login(customer)
    response = client.get(DOWNLOAD, follow=True)
    assert response.redirect_chain == [(PRIVACY, 302)]
    assert "We hold no profile data about you." in response.content.decode()


def test_erasing_asks_for_confirmation_first(browser, customer):
    assert "Erase my profile" in browser.get(ERASE).content.decode()
    response = browser.post(ERASE, {})

    assert "Tick the box to confirm" in response.content.decode()
    assert profile_of(customer).erased_at is None
    assert Identifier.objects.filter(kind="email").exists()


def test_erasing_forgets_the_customer_and_starts_a_new_visitor(browser, customer, product):
    profile = profile_of(customer)
    old_visitor = profile.identifiers.get(kind="visitor").value

    response = browser.post(ERASE, {"confirm": "on"})

    assert response.status_code == 302
    new_visitor = visitor_of(response)
    assert new_visitor != old_visitor
    assert "omni_vid" in response.cookies
    profile.refresh_from_db()
    assert profile.erased_at is not None and profile.snapshot == {}
    assert not profile.identifiers.exists()
    assert all(event.data == {} for event in Event.objects.filter(profile=profile))

    page = browser.get(response.url)
    assert "Your profile has been erased." in page.content.decode()
    assert "We hold no profile data about you." in page.content.decode()
    browser.get(product.get_absolute_url())
    assert visitor_of(browser.get(PRIVACY)) == new_visitor
    assert Profile.objects.get(identifiers__value=new_visitor).pk != profile.pk


def test_a_shared_browser_keeps_customers_apart(browser, customer, django_user_model):
    bob = django_user_model.objects.create_user(username="bob", email="bob@example.com")
    browser.force_login(bob)

    browser.post(PRIVACY, {"purpose": "email", "status": "granted"})

    assert allows(profile_of(bob).snapshot, "email") is True
    assert allows(profile_of(customer).snapshot, "email") is False
    assert profile_of(bob).pk != profile_of(customer).pk


def test_the_page_works_with_the_plugin_switched_off(client, customer, settings):
    settings.OMNI_ENABLED = False
    client.force_login(customer)

    client.post(PRIVACY, {"purpose": "sms", "status": "granted"})
    assert allows(profile_of(customer).snapshot, "sms") is True
    assert client.get(DOWNLOAD).status_code == 200

    client.post(ERASE, {"confirm": "on"})
    assert not Identifier.objects.exists()


CHANNEL = "/omni/account/privacy/channel/"


def test_the_customer_chooses_how_to_be_reached_and_sees_the_choice(browser, customer):
    html = browser.get(PRIVACY).content.decode()
    assert "How should we reach you?" in html and "You have not chosen yet." in html
    assert " checked" not in html

    response = browser.post(CHANNEL, {"channel": "onsite"}, follow=True)

    assert response.redirect_chain == [(PRIVACY, 302)]
    html = response.content.decode()
    assert "We will reach you this way first: A notice in your account." in html
    assert 'value="onsite" id="channel_onsite" checked' in html
    assert "You have not chosen yet." not in html
    assert profile_of(customer).snapshot["preferred_channel"] == "onsite"
    event = Event.objects.get(kind="channel_preferred")
    assert event.data == {"channel": "onsite", "source": "account page"}


@pytest.mark.parametrize("data", [{"channel": "carrier pigeon"}, {"channel": ""}, {}])
def test_a_bad_channel_shows_an_error_and_records_nothing(browser, customer, data):
    response = browser.post(CHANNEL, data)

    assert response.status_code == 200
    assert response.context["form"].errors
    html = response.content.decode()
    assert 'class="alert alert-danger"' in html
    assert 'data-purpose="email"' in html  # the rest of the page is still there
    assert not Event.objects.filter(kind="channel_preferred").exists()
    assert "preferred_channel" not in profile_of(customer).snapshot


def test_choosing_a_channel_gives_a_customer_without_a_profile_one(client, customer):
    client.force_login(customer)

    client.post(CHANNEL, {"channel": "sms"})

    assert profile_of(customer).snapshot["preferred_channel"] == "sms"
