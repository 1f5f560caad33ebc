"""The page-view beacon: what a page reports from the browser, and what it refuses."""

import json

import pytest
from wagtail.models import Page, Site

from omni_plugin.core.models import Event, Profile

pytestmark = pytest.mark.django_db

SAME_SITE = {"HTTP_ORIGIN": "http://testserver"}


def send(client, payload, **headers):
    body = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
    return client.post("/omni/beacon/", body, content_type="application/json", **headers)


@pytest.fixture
def page():
    """The demo shop's Wagtail home page, as the site's root."""
    from sandbox.cms.models import HomePage

    home = Page.objects.get(depth=1).add_child(instance=HomePage(title="Welcome", slug="home-page"))
    Site.objects.update(root_page=home)
    return home


def test_a_page_view_is_recorded_on_the_visitors_profile(client, page):
    response = send(client, {"kind": "page_viewed", "page": page.pk}, **SAME_SITE)
    assert response.status_code == 204
    event = Event.objects.get()
    assert (event.kind, event.data) == (
        "page_viewed",
        {"page_id": page.pk, "url_path": page.url_path},
    )
    visitor_id = response.wsgi_request.omni.visitor_id
    assert Profile.objects.get(identifiers__value=visitor_id).pk == event.profile_id


def test_the_wagtail_page_carries_the_beacon(client, page):
    html = client.get("/").content.decode()
    assert 'src="/static/omni/core/beacon.js"' in html
    assert f'data-page="{page.pk}"' in html
    assert 'data-endpoint="/omni/beacon/"' in html


def test_a_fetch_marked_same_origin_is_accepted_without_an_origin_header(client, page):
    response = send(
        client, {"kind": "page_viewed", "page": page.pk}, HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert response.status_code == 204


@pytest.mark.parametrize(
    "headers", [{}, {"HTTP_ORIGIN": "https://evil.example"}, {"HTTP_SEC_FETCH_SITE": "cross-site"}]
)
def test_other_sites_cannot_send_beacons(client, page, headers):
    response = send(client, {"kind": "page_viewed", "page": page.pk}, **headers)
    assert response.status_code == 403
    assert response.json() == {"error": "Beacons are accepted from this site's own pages only."}
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "payload, message",
    [
        ("{not json", "The beacon's body is not JSON."),
        ([1, 2], "The beacon's body is a JSON object with a 'kind'."),
        (
            {"kind": "order_placed"},
            "Unknown event kind 'order_placed'; expected one of page_viewed.",
        ),
        ({"kind": "page_viewed"}, "page_viewed needs the page's id as a number in 'page'."),
        (
            {"kind": "page_viewed", "page": "2"},
            "page_viewed needs the page's id as a number in 'page'.",
        ),
        ({"kind": "page_viewed", "page": 999999}, "There is no live page with the id 999999."),
        ({"kind": "page_viewed", "page": 1, "x": "y" * 3000}, "A beacon is at most 2048 bytes."),
    ],
)
def test_bad_beacons_get_a_400_with_a_reason_and_change_nothing(client, payload, message):
    response = send(client, payload, **SAME_SITE)
    assert response.status_code == 400
    assert response.json() == {"error": message}
    assert not Event.objects.exists() and not Profile.objects.exists()


def test_only_posts_are_accepted(client):
    assert client.get("/omni/beacon/").status_code == 405


def test_a_bots_beacon_records_nothing(client, page):
    response = send(
        client, {"kind": "page_viewed", "page": page.pk}, HTTP_USER_AGENT="curl/8.5", **SAME_SITE
    )
    assert response.status_code == 204
    assert not Profile.objects.exists()
