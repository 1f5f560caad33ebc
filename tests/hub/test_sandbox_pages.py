"""The demo shop answers on every page a visitor, a customer and the admin would open."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from sandbox.demo.customers import DEMO_CUSTOMERS
from sandbox.demo.pages import CONTENT_PAGES, HOME

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = StringIO()
        call_command("omni_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def credentials(demo_output):
    email = re.search(r"email:\s+(\S+)", demo_output).group(1)
    password = re.search(r"password:\s+(\S+)", demo_output).group(1)
    return email, password


@pytest.fixture
def browser(demo_output):
    """A client that, like a browser, has to send each form's CSRF token back."""
    return Client(enforce_csrf_checks=True)


def csrf_token(response):
    return re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()
    ).group(1)


def in_stock_product():
    return (
        Product.objects.filter(stockrecords__num_in_stock__gt=0, categories__name="Mugs")
        .order_by("upc")
        .first()
    )


def add_to_basket(browser, product):
    """Submits the add-to-basket form of the product's page."""
    page = browser.get(product.get_absolute_url())
    action = re.search(r'<form[^>]+action="(/shop/basket/add/\d+/)"', page.content.decode()).group(
        1
    )
    response = browser.post(action, {"csrfmiddlewaretoken": csrf_token(page), "quantity": 1})
    assert response.status_code == 302


def test_the_home_page_is_the_wagtail_home_page(browser):
    response = browser.get("/")

    assert response.status_code == 200
    assert type(response.context["page"]).__name__ == "HomePage"
    assert HOME.title in response.content.decode()
    for page in CONTENT_PAGES:
        assert f'href="/{page.slug}/"' in response.content.decode()


def test_a_content_page_answers(browser):
    response = browser.get("/delivery-and-returns/")

    assert response.status_code == 200
    assert "Delivery to any UK address is free." in response.content.decode()


def test_a_category_page_answers(browser):
    category = Category.objects.get(name="Mugs")

    response = browser.get(category.get_absolute_url())

    assert response.status_code == 200
    assert response.context["category"] == category


def test_a_category_page_lists_its_products(browser):
    category = Category.objects.get(name="Mugs")

    response = browser.get(category.get_absolute_url())

    assert in_stock_product().title in response.content.decode()


def test_a_product_page_shows_its_title_and_price(browser):
    product = in_stock_product()

    response = browser.get(product.get_absolute_url())

    assert response.status_code == 200
    assert product.title in response.content.decode()
    assert currency(product.stockrecords.get().price) in response.content.decode()


def test_the_basket_shows_an_added_product(browser):
    product = in_stock_product()

    add_to_basket(browser, product)
    response = browser.get("/shop/basket/")

    assert response.status_code == 200
    assert product.title in response.content.decode()


def test_an_anonymous_visitor_reaches_the_checkout_gateway(browser):
    add_to_basket(browser, in_stock_product())

    response = browser.get("/shop/checkout/")

    assert response.status_code == 200
    assert "Who are you?" in response.content.decode()


def test_a_customer_reaches_the_shipping_address_step(browser):
    customer = DEMO_CUSTOMERS[0]
    browser.force_login(get_user_model().objects.get(email=customer.email))
    add_to_basket(browser, in_stock_product())

    response = browser.get("/shop/checkout/", follow=True)

    assert response.redirect_chain[-1][0] == "/shop/checkout/shipping-address/"
    assert response.status_code == 200
    assert customer.line1 in response.content.decode()


def log_in_to_wagtail(browser, username, password):
    form = browser.get("/cms/login/")
    return browser.post(
        "/cms/login/",
        {"csrfmiddlewaretoken": csrf_token(form), "username": username, "password": password},
    )


def test_the_printed_credentials_open_the_wagtail_admin(browser, credentials):
    email, password = credentials

    assert log_in_to_wagtail(browser, email, password).status_code == 302
    response = browser.get("/cms/")

    assert response.status_code == 200
    assert "Dashboard" in response.content.decode()


def test_the_wagtail_admin_refuses_a_wrong_password(browser, credentials):
    email, password = credentials

    assert log_in_to_wagtail(browser, email, password + "x").status_code == 200
    assert browser.get("/cms/").status_code == 302


def log_in_to_oscar(browser, email, password):
    form = browser.get("/shop/accounts/login/")
    return browser.post(
        "/shop/accounts/login/",
        {
            "csrfmiddlewaretoken": csrf_token(form),
            "login-username": email,
            "login-password": password,
            "login_submit": "Log In",
        },
    )


def test_the_printed_credentials_open_oscars_dashboard(browser, credentials):
    email, password = credentials

    assert log_in_to_oscar(browser, email, password).status_code == 302
    response = browser.get("/shop/dashboard/")

    assert response.status_code == 200
    assert "Dashboard" in response.content.decode()


def test_oscars_login_refuses_a_wrong_password(browser, credentials):
    email, password = credentials

    assert log_in_to_oscar(browser, email, password + "x").status_code == 200
    assert browser.get("/shop/dashboard/").status_code == 302
