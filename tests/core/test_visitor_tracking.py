"""Visitor identity: the signed cookie, bots, static files and the first meaningful event."""

import pytest
from django.http import HttpResponse

from omni_plugin.core.models import Event, Identifier, Profile
from omni_plugin.core.visitor import SALT

pytestmark = pytest.mark.django_db

GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def visitor_cookie(response):
    return response.cookies.get("omni_vid")


def visitor_id_of(response):
    return response.wsgi_request.omni.visitor_id


def signed_cookie(value):
    """A cookie value signed with the shop's key, as only the shop can make one."""
    response = HttpResponse()
    response.set_signed_cookie("omni_vid", value, salt=SALT)
    return response.cookies["omni_vid"].value


def test_first_page_gets_a_signed_http_only_lax_cookie_but_no_profile(client):
    response = client.get("/shop/")
    cookie = visitor_cookie(response)
    assert cookie is not None
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie.value.startswith(visitor_id_of(response) + ":")
    assert Profile.objects.count() == 0


def test_the_cookie_is_set_once_and_kept(client):
    visitor_id = visitor_id_of(client.get("/shop/"))
    response = client.get("/shop/")
    assert visitor_cookie(response) is None
    assert visitor_id_of(response) == visitor_id


def test_viewing_a_product_creates_the_profile_with_the_view(client, product, category):
    response = client.get(product.get_absolute_url())
    profile = Profile.objects.get()
    assert profile.identifiers.get().value == visitor_id_of(response)
    event = profile.events.get()
    assert (event.kind, event.product_id, event.category_ids) == (
        "product_viewed",
        product.pk,
        [category.pk],
    )
    assert profile.snapshot["recent_products"] == [product.pk]
    assert profile.snapshot["categories"] == {str(category.pk): 1.0}


def test_a_returning_visitor_adds_to_the_same_profile(client, product):
    client.get(product.get_absolute_url())
    client.get(product.get_absolute_url())
    assert Profile.objects.count() == 1
    assert Event.objects.filter(kind="product_viewed").count() == 2
    assert Profile.objects.get().snapshot["events"] == 2


@pytest.mark.parametrize("user_agent", [GOOGLEBOT, "curl/8.5.0", ""])
def test_bots_get_no_cookie_and_no_profile(client, product, user_agent):
    response = client.get(product.get_absolute_url(), HTTP_USER_AGENT=user_agent)
    assert response.status_code == 200
    assert visitor_cookie(response) is None
    assert Profile.objects.count() == 0


def test_static_files_get_no_cookie(client):
    response = client.get("/static/omni/core/beacon.js")
    assert visitor_cookie(response) is None


def test_a_tampered_cookie_is_ignored_and_replaced(client, product):
    original = visitor_id_of(client.get(product.get_absolute_url()))
    value = client.cookies["omni_vid"].value
    client.cookies["omni_vid"] = value[:-1] + ("A" if value[-1] != "A" else "B")

    response = client.get(product.get_absolute_url())

    replaced = visitor_id_of(response)
    assert visitor_cookie(response) is not None
    assert replaced != original
    assert Identifier.objects.filter(kind="visitor").count() == 2
    assert Profile.objects.count() == 2


@pytest.mark.parametrize("forged_value", ["not-a-visitor-id", "null", "0" * 31])
def test_a_well_signed_but_malformed_visitor_id_is_replaced(client, product, forged_value):
    client.cookies["omni_vid"] = signed_cookie(forged_value)
    response = client.get(product.get_absolute_url())
    assert visitor_cookie(response) is not None
    assert visitor_id_of(response) != forged_value
    assert not Identifier.objects.filter(value=forged_value).exists()


def test_nothing_is_tracked_when_the_plugin_is_off(client, product, settings):
    settings.OMNI_ENABLED = False
    response = client.get(product.get_absolute_url())
    assert visitor_cookie(response) is None
    assert Profile.objects.count() == 0


def test_a_known_visitor_reads_the_profile_from_the_cache(
    client, product, django_assert_num_queries
):
    client.get(product.get_absolute_url())
    request = client.get("/shop/").wsgi_request
    request.omni.__dict__.pop("profile", None)
    with django_assert_num_queries(0):
        assert request.omni.profile.snapshot["recent_products"] == [product.pk]
