"""Pushes sent to web-push-testing, a push service that checks VAPID tokens and decrypts
what it receives: browsers subscribed through the shop get the campaign's notification,
with a receipt the shop recognises; a subscription the service has expired is ended."""

import json

import pytest
from conftest import DESKTOP_BROWSER
from django.contrib.auth import get_user_model
from django.test import Client

from omni_plugin.core.models import Identifier
from omni_plugin.push.messages import notify
from omni_plugin.push.models import Delivery, PushSubscription
from omni_plugin.push.payloads import PushMessage
from omni_plugin.push.receipts import record_receipt
from omni_plugin.push.vapid import generate_keys
from tests.conftest import admin_browser
from tests.push.flaky_network import FlakyRelay
from tests.push.shop import (
    deliveries_by_endpoint,
    make_campaign,
    start,
)
from tests.push.test_admin import CAMPAIGNS, messages_of
from tests.push.web_push_testing import HOST

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscribe(push_service, shop_key):
    """Subscribe a new browser at the push service, then at the shop, as the browser does."""

    def subscribe(application_server_key=shop_key):
        subscription = push_service.create_subscription(application_server_key)
        browser_json = {
            "endpoint": subscription["endpoint"],
            "expirationTime": None,
            "keys": subscription["keys"],
        }
        response = Client(HTTP_USER_AGENT=DESKTOP_BROWSER).post(
            "/omni/push/subscribe/", json.dumps(browser_json), content_type="application/json"
        )
        assert response.status_code == 201, response.content
        return subscription

    return subscribe


def notifications(push_service, subscription):
    return [json.loads(payload) for payload in push_service.notifications(subscription)]


def test_a_campaign_reaches_every_subscribed_browser_decrypted_with_a_receipt(
    push_service, subscribe, django_capture_on_commit_callbacks
):
    browsers = [subscribe() for _ in range(3)]
    campaign = make_campaign(title="Spring sale", body="20% off in the garden", url="/offers/")

    start(campaign, django_capture_on_commit_callbacks)

    deliveries = deliveries_by_endpoint(campaign)
    for browser in browsers:
        [notification] = notifications(push_service, browser)
        assert notification["title"] == "Spring sale"
        assert notification["body"] == "20% off in the garden"
        assert notification["url"].startswith("/offers/?utm_source=omni&utm_medium=push")
        delivery = deliveries[browser["endpoint"]]
        assert (delivery.status, delivery.http_status) == ("delivered", 201)
        assert record_receipt(notification["receipt"], "shown")
        delivery.refresh_from_db()
        assert delivery.shown_at is not None


def test_the_push_service_refuses_pushes_not_signed_with_the_key_a_browser_subscribed_with(
    push_service, subscribe, django_capture_on_commit_callbacks
):
    another_shops_key, _ = generate_keys()
    browser = subscribe()
    stranger = subscribe(application_server_key=another_shops_key)
    campaign = make_campaign()

    start(campaign, django_capture_on_commit_callbacks)

    deliveries = deliveries_by_endpoint(campaign)
    assert deliveries[browser["endpoint"]].status == "delivered"
    assert len(notifications(push_service, browser)) == 1
    refused = deliveries[stranger["endpoint"]]
    assert (refused.status, refused.http_status) == ("failed", 400)
    assert notifications(push_service, stranger) == []


def test_a_subscription_the_push_service_expired_is_ended_and_the_others_still_get_pushes(
    push_service, subscribe, django_capture_on_commit_callbacks
):
    browsers = [subscribe() for _ in range(3)]
    start(make_campaign(name="First"), django_capture_on_commit_callbacks)
    gone = browsers[0]
    push_service.expire(gone)
    campaign = make_campaign(name="Second", title="Second sale")

    start(campaign, django_capture_on_commit_callbacks)

    deliveries = deliveries_by_endpoint(campaign)
    assert (deliveries[gone["endpoint"]].status, deliveries[gone["endpoint"]].http_status) == (
        "expired",
        410,
    )
    subscription = PushSubscription.objects.get(endpoint=gone["endpoint"])
    assert (subscription.active, subscription.deactivation_reason) == (False, "gone")
    for browser in browsers[1:]:
        assert deliveries[browser["endpoint"]].status == "delivered"
        titles = [n["title"] for n in notifications(push_service, browser)]
        assert titles == ["Spring sale", "Second sale"]
    assert [n["title"] for n in notifications(push_service, gone)] == ["Spring sale"]


def test_a_triggered_message_reaches_the_profiles_browser(
    push_service, subscribe, django_capture_on_commit_callbacks
):
    browser = subscribe()
    someone_else = subscribe()
    profile_id = PushSubscription.objects.get(endpoint=browser["endpoint"]).profile_id
    message = PushMessage(title="Back in stock", body="Your size is here", url="/p/42/")

    with django_capture_on_commit_callbacks(execute=True):
        notify(profile_id, message, key="back_in_stock:42")

    [notification] = notifications(push_service, browser)
    assert (notification["title"], notification["body"]) == ("Back in stock", "Your size is here")
    assert notification["url"] == "/p/42/"
    assert Delivery.objects.get(key="back_in_stock:42").status == "delivered"
    assert notifications(push_service, someone_else) == []


def test_pushes_the_network_drops_are_retried_until_the_push_service_gets_them(
    push_service, subscribe, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("omni_plugin.push.transport.BACKOFF_BASE_SECONDS", 0.05)
    browser = subscribe()
    campaign = make_campaign(title="Flash sale")

    with FlakyRelay(HOST, push_service.port, drops=2) as relay:
        relayed = browser["endpoint"].replace(f":{push_service.port}/", f":{relay.port}/")
        PushSubscription.objects.update(endpoint=relayed)
        start(campaign, django_capture_on_commit_callbacks)

    assert relay.dropped == 2
    delivery = Delivery.objects.get(campaign=campaign)
    assert (delivery.status, delivery.attempts) == ("delivered", 3)
    [notification] = notifications(push_service, browser)
    assert notification["title"] == "Flash sale"


def test_an_editors_test_send_from_the_admin_reaches_their_browser(push_service, subscribe):
    editor = admin_browser("editor", is_staff=True, is_superuser=True)
    browser = subscribe()
    profile_id = PushSubscription.objects.get(endpoint=browser["endpoint"]).profile_id
    Identifier.objects.create(
        profile_id=profile_id,
        kind=Identifier.Kind.USER,
        value=str(get_user_model().objects.get(username="editor").pk),
    )
    campaign = make_campaign(title="Before it goes out", body="Does this read well?")

    response = editor.post(f"{CAMPAIGNS}send-test/{campaign.pk}/", follow=True)

    assert "Sent to 1 of your browsers." in messages_of(response)
    [notification] = notifications(push_service, browser)
    assert (notification["title"], notification["body"]) == (
        "Before it goes out",
        "Does this read well?",
    )
    assert not campaign.deliveries.exists()  # a test counts in no report
