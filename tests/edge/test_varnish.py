"""docs/varnish/omni.vcl, run by a real Varnish in front of the demo shop."""

import http.client
import re
from urllib.parse import urlsplit

import pytest
import requests
from conftest import DESKTOP_BROWSER

from sandbox.demo.customers import CUSTOMER_PASSWORD, DEMO_CUSTOMERS


@pytest.fixture
def visitor():
    with requests.Session() as session:
        session.headers["User-Agent"] = DESKTOP_BROWSER
        yield session


def send(edge, method, path="/", headers=None, source_address=None):
    """A request with any method, from any local address; returns the response."""
    address = urlsplit(edge.url)
    connection = http.client.HTTPConnection(
        address.hostname, address.port, timeout=10, source_address=source_address
    )
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response
    finally:
        connection.close()


def log_in(visitor, edge, email):
    form = visitor.get(f"{edge.url}/shop/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    response = visitor.post(
        f"{edge.url}/shop/accounts/login/",
        data={
            "csrfmiddlewaretoken": token,
            "login-username": email,
            "login-password": CUSTOMER_PASSWORD,
            "login_submit": "Log In",
        },
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    assert "sessionid" in visitor.cookies


def test_a_visitor_with_a_session_is_passed_to_the_shop_with_their_cookie(edge, visitor):
    customer = DEMO_CUSTOMERS[0]
    log_in(visitor, edge, customer.email)

    for _ in range(2):
        response = visitor.get(f"{edge.url}/shop/accounts/profile/", allow_redirects=False)
        assert response.status_code == 200
        assert response.headers["X-Cache"] == "PASS"
        assert customer.email in response.text


def test_a_basket_cookie_makes_a_request_pass(edge, visitor):
    visitor.cookies.set("oscar_open_basket", "1:not-a-real-signature")

    assert visitor.get(f"{edge.url}/").headers["X-Cache"] == "PASS"


@pytest.mark.parametrize("path", ["/", "/shop/"])
def test_pages_the_shop_does_not_mark_public_are_not_cached(edge, visitor, path):
    first = visitor.get(f"{edge.url}{path}")
    second = visitor.get(f"{edge.url}{path}")

    assert first.status_code == second.status_code == 200
    assert first.headers["X-Cache"] == "MISS"
    assert second.headers["X-Cache"] == "MISS"


def test_a_visitor_s_cookies_reach_the_shop_on_a_miss(edge, visitor):
    first = visitor.get(f"{edge.url}/")
    visitor_cookie = first.cookies["omni_vid"]

    second = visitor.get(f"{edge.url}/")

    # The shop recognised the visitor: it did not hand out another visitor id.
    assert second.headers["X-Cache"] == "MISS"
    assert visitor.cookies["omni_vid"] == visitor_cookie
    assert "omni_vid" not in second.cookies


def test_private_headers_do_not_reach_visitors(edge, visitor):
    response = visitor.get(f"{edge.url}/", headers={"X-Omni-Cookie": "sessionid=forged"})

    assert response.headers["X-Cache"] == "MISS"
    assert not [name for name in response.headers if name.lower().startswith("x-omni-")]
    assert "Surrogate-Control" not in response.headers
    assert "Surrogate-Key" not in response.headers


def test_a_ban_by_tag_from_the_shop_is_accepted(edge):
    response = send(edge, "BAN", headers={"Omni-Ban-Tag": "omni-slot-home-hero"})

    assert response.status == 200
    assert r"obj.http.Surrogate-Key ~ (^|\s)omni-slot-home-hero(\s|$)" in edge.admin("ban.list")


@pytest.mark.parametrize("headers", [{}, {"Omni-Ban-Tag": "two tags"}, {"Omni-Ban-Tag": "a|b"}])
def test_a_ban_without_one_clean_tag_is_refused(edge, headers):
    assert send(edge, "BAN", headers=headers).status == 400


def test_a_purge_of_a_url_from_the_shop_is_accepted(edge):
    assert send(edge, "PURGE", "/shop/").status == 200


@pytest.mark.parametrize("method", ["PURGE", "BAN"])
def test_invalidation_from_elsewhere_is_forbidden(edge, method):
    # Any 127.0.0.0/8 address is local on Linux; the ACL lets only 127.0.0.1 in.
    response = send(
        edge,
        method,
        headers={"Omni-Ban-Tag": "omni-slot-home-hero"},
        source_address=("127.0.0.2", 0),
    )

    assert response.status == 403


def test_an_unknown_method_is_refused(edge):
    assert send(edge, "FROB").status == 405


def test_a_post_is_passed(edge, visitor):
    response = visitor.post(f"{edge.url}/shop/basket/add/1/", data={"quantity": 1})

    assert response.headers["X-Cache"] == "PASS"
