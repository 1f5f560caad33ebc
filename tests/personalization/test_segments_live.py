"""Visitors segmented as they browse: evidence kept as events arrive, no query per rule."""

import pytest
from conftest import DESKTOP_BROWSER, log_in, make_customer
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from omni_plugin.core.models import Event
from omni_plugin.personalization.models import SegmentMembership
from omni_plugin.personalization.segmenting import segments_for_request
from tests.personalization.segment_factories import make_segment

pytestmark = pytest.mark.django_db


def visit(client, path="/shop/catalogue/"):
    response = client.get(path)
    assert response.status_code == 200
    return response.wsgi_request


def segment_names(client, path="/shop/catalogue/"):
    return {m.name: m.reasons for m in segments_for_request(visit(client, path))}


def view(client, product, times):
    for _ in range(times):
        visit(client, product.get_absolute_url())


def test_a_visitor_joins_a_segment_on_the_view_that_completes_its_rule(client, product):
    make_segment("Mug fans", ("viewed", {"product": product.pk, "times": 3, "days": 7}))
    view(client, product, 2)
    assert "Mug fans" not in segment_names(client)

    view(client, product, 1)
    assert segment_names(client)["Mug fans"] == [
        "Viewed Enamel Camping Mug 3+ times in the last 7 days"
    ]


def test_segmenting_a_request_costs_no_query_however_many_segments(
    client, product, django_assert_num_queries
):
    for n in range(30):
        make_segment(
            f"Segment {n}",
            ("viewed", {"product": product.pk, "times": 1 + n % 3, "days": 7}),
            ("device", {"devices": ["desktop"]}),
            ("location", {"countries": "GB"}),
            match="any",
        )
    view(client, product, 2)
    request = visit(client)
    assert request.omni.profile is not None
    segments_for_request(request)  # compiles and caches the segments once

    request = visit(client)
    assert request.omni.profile  # the visitor's profile, as every page loads it
    with django_assert_num_queries(0):
        memberships = segments_for_request(request)
    assert len(memberships) == 30


def test_a_segment_saved_after_the_views_counts_them(
    client, product, django_capture_on_commit_callbacks
):
    view(client, product, 3)

    with django_capture_on_commit_callbacks(execute=True):
        make_segment("Mug fans", ("viewed", {"product": product.pk, "times": 3, "days": 7}))

    assert "Mug fans" in segment_names(client)
    membership = SegmentMembership.objects.get(profile_id=visit(client).omni.profile.id)
    assert membership.reasons == ["Viewed Enamel Camping Mug 3+ times in the last 7 days"]


def test_evidence_survives_a_login_that_merges_the_guest_profile(
    client, product, django_capture_on_commit_callbacks
):
    make_segment("Mug fans", ("viewed", {"product": product.pk, "times": 3, "days": 7}))
    make_customer("alice@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        view(client, product, 1)
        log_in(client, "alice@example.com")
        view(client, product, 2)

    assert "Mug fans" in segment_names(client)


def test_a_campaign_link_places_the_visitor_in_the_campaigns_segment(client):
    make_segment("Spring sale", ("campaign", {"utm_campaign": "spring-sale"}))
    make_segment("From Instagram", ("campaign", {"referrer_host": "l.instagram.com"}))

    landing_page = "/shop/catalogue/?utm_source=news&utm_campaign=spring-sale"
    assert "Spring sale" in segment_names(client, landing_page)
    assert "Spring sale" in segment_names(client)  # the next page of the visit
    landing = Event.objects.get(kind="visit_started")
    assert landing.data == {"utm_source": "news", "utm_campaign": "spring-sale"}

    arriving = client.get("/shop/catalogue/", HTTP_REFERER="https://l.instagram.com/?u=x")
    assert "From Instagram" in {m.name for m in segments_for_request(arriving.wsgi_request)}
    client.get("/shop/catalogue/", HTTP_REFERER="http://testserver/shop/")
    assert Event.objects.filter(kind="visit_started").count() == 2  # own pages are no arrival


def test_logged_in_customers_are_segmented_by_their_group(client):
    user = make_customer("trade@example.com")
    user.groups.add(Group.objects.create(name="Wholesale"))
    make_segment("Trade", ("customer_group", {"groups": ["Wholesale"]}))
    make_segment("Members", ("visitor", {"kind": "logged_in"}))
    assert set(segment_names(client)) == set()

    log_in(client, "trade@example.com")
    assert set(segment_names(client)) == {"Trade", "Members"}


def test_a_bot_is_not_segmented(product):
    make_segment("Everyone on a desktop", ("device", {"devices": ["desktop"]}))
    bot = Client(HTTP_USER_AGENT="curl/8.5")

    assert segment_names(bot) == {}
    assert "Everyone on a desktop" in segment_names(Client(HTTP_USER_AGENT=DESKTOP_BROWSER))


def test_the_refresh_command_stores_memberships_and_says_what_changed(client, product, capsys):
    make_segment("Mug fans", ("viewed", {"product": product.pk, "times": 1, "days": 7}))
    view(client, product, 1)

    call_command("omni_refresh_segments")
    assert "1 segment memberships began or ended" in capsys.readouterr().out
    assert SegmentMembership.objects.get().segment.name == "Mug fans"
    call_command("omni_refresh_segments")
    assert "0 segment memberships began or ended" in capsys.readouterr().out
