"""Sending pushes to a push service that answers as each test scripts it: the headers every
push carries, retries after 429, 5xx and timeouts, expired subscriptions, refused pushes,
and exactly one push per subscription however often sending runs."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from omni_plugin.push import transport
from omni_plugin.push.campaigns import CampaignError, fan_out
from omni_plugin.push.messages import notify
from omni_plugin.push.models import Campaign, Delivery
from omni_plugin.push.payloads import PayloadTooLarge, PushMessage
from omni_plugin.push.tasks import fan_out_campaign
from tests.push.mock_service import MockPushService, Reply
from tests.push.shop import (
    allow_push_service,
    deliveries_by_endpoint,
    make_campaign,
    make_subscription,
    start,
    use_vapid_identity,
)

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * 5000


@pytest.fixture
def shop_key(settings):
    return use_vapid_identity(settings)


@pytest.fixture
def service(settings, shop_key):
    """A push service that knows the shop's key, its endpoints accepted by the shop."""
    allow_push_service(settings, "127.0.0.1")
    with MockPushService(public_key=shop_key) as service:
        yield service


@pytest.fixture
def quick_retries(monkeypatch):
    monkeypatch.setattr(transport, "BACKOFF_BASE_SECONDS", 0.01)


@pytest.fixture
def browser(service):
    """One subscribed browser on the service."""
    return make_subscription(service.endpoint("browser"))


def send_due(on_commit):
    """What the dispatcher run every minute does: send every push that is due."""
    with on_commit(execute=True):
        call_command("omni_push_dispatch", stdout=StringIO())


def the_delivery(campaign):
    campaign.refresh_from_db()
    return campaign.deliveries.get()


# What every push carries


def test_a_push_carries_the_campaigns_ttl_urgency_and_topic_and_the_shops_vapid_token(
    service, browser, shop_key, django_capture_on_commit_callbacks
):
    campaign = make_campaign(ttl=3600, urgency="high", topic="spring-sale")

    start(campaign, django_capture_on_commit_callbacks)

    [push] = service.received(browser.endpoint)
    assert push.status == 201
    assert push.headers["ttl"] == "3600"
    assert push.headers["urgency"] == "high"
    assert push.headers["topic"] == "spring-sale"
    assert push.headers["content-encoding"] == "aes128gcm"
    scheme, _, parameters = push.headers["authorization"].partition(" ")
    assert scheme == "vapid"
    assert f"k={shop_key}" in [part.strip() for part in parameters.split(",")]
    assert service.vapid_problem(push.headers["authorization"]) == ""
    assert 0 < push.body_length <= 4096
    delivery = the_delivery(campaign)
    assert (delivery.status, delivery.http_status, delivery.attempts) == ("delivered", 201, 1)
    assert campaign.status == Campaign.Status.SENT


def test_a_push_service_that_does_not_know_the_shops_key_refuses_it_and_the_push_fails(
    settings, browser, service, django_capture_on_commit_callbacks
):
    use_vapid_identity(settings)  # the keys changed since the browser subscribed
    campaign = make_campaign()

    start(campaign, django_capture_on_commit_callbacks)

    [push] = service.received(browser.endpoint)
    assert push.status == 401
    delivery = the_delivery(campaign)
    assert (delivery.status, delivery.http_status) == ("failed", 401)
    assert "not the public key" in delivery.reason
    browser.refresh_from_db()
    assert browser.active


# Answers that ask to try again


def test_429_is_retried_after_the_wait_the_push_service_asks_for(
    service, browser, django_capture_on_commit_callbacks
):
    service.script(browser.endpoint, Reply(429, {"Retry-After": "1"}))
    campaign = make_campaign()

    start(campaign, django_capture_on_commit_callbacks)

    first, second = service.received(browser.endpoint)
    assert (first.status, second.status) == (429, 201)
    assert second.received_at - first.received_at >= 1
    delivery = the_delivery(campaign)
    assert (delivery.status, delivery.attempts, delivery.http_status) == ("delivered", 2, 201)


def test_a_wait_longer_than_sending_may_hold_on_is_left_to_a_later_dispatch(
    service, browser, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(transport, "INLINE_WAIT_LIMIT", 0.5)
    service.script(browser.endpoint, Reply(429, {"Retry-After": "120"}))
    campaign = make_campaign()

    start(campaign, django_capture_on_commit_callbacks)

    delivery = the_delivery(campaign)
    assert (delivery.status, delivery.attempts, delivery.http_status) == ("pending", 1, 429)
    assert delivery.due_at >= timezone.now() + timedelta(seconds=100)
    assert campaign.status == Campaign.Status.SENDING
    send_due(django_capture_on_commit_callbacks)
    assert len(service.received(browser.endpoint)) == 1  # not due yet

    Delivery.objects.filter(pk=delivery.pk).update(due_at=timezone.now())
    send_due(django_capture_on_commit_callbacks)

    assert [push.status for push in service.received(browser.endpoint)] == [429, 201]
    delivery = the_delivery(campaign)
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert campaign.status == Campaign.Status.SENT


def test_server_errors_are_retried_with_backoff_until_delivered(
    service, browser, quick_retries, django_capture_on_commit_callbacks
):
    service.script(browser.endpoint, Reply(500), Reply(503))
    campaign = make_campaign()

    start(campaign, django_capture_on_commit_callbacks)

    assert [push.status for push in service.received(browser.endpoint)] == [500, 503, 201]
    delivery = the_delivery(campaign)
    assert (delivery.status, delivery.attempts, delivery.http_status) == ("delivered", 3, 201)


def test_a_push_service_that_keeps_failing_is_given_up_after_the_maximum_attempts(
    settings, service, browser, quick_retries, django_capture_on_commit_callbacks
):
    settings.OMNI_PUSH_MAX_ATTEMPTS = 3
    service.script(browser.endpoint, then=Reply(500))
    campaign = make_campaign()

    start(campaign, django_capture_on_commit_callbacks)

    assert [push.status for push in service.received(browser.endpoint)] == [500, 500, 500]
    delivery = the_delivery(campaign)
    assert (delivery.status, delivery.attempts, delivery.http_status) == ("failed", 3, 500)
    assert delivery.reason.startswith("HTTP 500")
    assert campaign.status == Campaign.Status.SENT


def test_a_push_service_that_does_not_answer_in_time_is_tried_again(
    settings, service, browser, quick_retries, django_capture_on_commit_callbacks
):
    settings.OMNI_PUSH_TIMEOUT = 1
    service.script(browser.endpoint, Reply(201, delay=3))
    campaign = make_campaign()

    start(campaign, django_capture_on_commit_callbacks)

    assert len(service.received(browser.endpoint)) == 2
    delivery = the_delivery(campaign)
    assert (delivery.status, delivery.attempts, delivery.http_status) == ("delivered", 2, 201)


# Answers that end a push


def test_a_push_too_large_for_the_service_fails_without_retrying(
    service, browser, quick_retries, django_capture_on_commit_callbacks
):
    service.script(browser.endpoint, Reply(413))
    campaign = make_campaign()

    start(campaign, django_capture_on_commit_callbacks)

    assert len(service.received(browser.endpoint)) == 1
    delivery = the_delivery(campaign)
    assert (delivery.status, delivery.attempts, delivery.http_status) == ("failed", 1, 413)


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_not_followed_and_the_push_fails(
    status, service, browser, quick_retries, django_capture_on_commit_callbacks
):
    elsewhere = service.endpoint("elsewhere")
    service.script(browser.endpoint, Reply(status, {"Location": elsewhere}))
    campaign = make_campaign()

    start(campaign, django_capture_on_commit_callbacks)

    assert service.received(elsewhere) == []
    delivery = the_delivery(campaign)
    assert (delivery.status, delivery.attempts, delivery.http_status) == ("failed", 1, status)


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_gone_from_the_push_service_is_deactivated(
    status, service, browser, django_capture_on_commit_callbacks
):
    other = make_subscription(service.endpoint("other-browser"))
    service.script(browser.endpoint, Reply(status))
    campaign = make_campaign()

    start(campaign, django_capture_on_commit_callbacks)

    deliveries = deliveries_by_endpoint(campaign)
    assert deliveries[browser.endpoint].status == "expired"
    assert deliveries[browser.endpoint].http_status == status
    assert deliveries[other.endpoint].status == "delivered"
    browser.refresh_from_db()
    assert (browser.active, browser.deactivation_reason) == (False, "gone")
    assert browser.deactivated_at is not None
    other.refresh_from_db()
    assert other.active

    next_campaign = make_campaign(name="Summer sale")
    start(next_campaign, django_capture_on_commit_callbacks)

    assert len(service.received(browser.endpoint)) == 1
    assert list(next_campaign.deliveries.values_list("subscription", flat=True)) == [other.pk]


# Pushes refused before sending


def test_a_campaign_too_large_for_a_push_is_refused_with_the_reason_and_nothing_is_sent(
    service, browser, django_capture_on_commit_callbacks
):
    campaign = make_campaign(body=TOO_LONG)

    with pytest.raises(CampaignError, match="a push holds at most"):
        start(campaign, django_capture_on_commit_callbacks)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert not Delivery.objects.exists()
    assert service.received() == []


def test_a_triggered_message_too_large_for_a_push_is_refused_and_nothing_is_sent(
    service, browser, django_capture_on_commit_callbacks
):
    message = PushMessage(title="Back in stock", body=TOO_LONG, url="/p/42/")

    with pytest.raises(PayloadTooLarge, match="shorten the text by"):
        with django_capture_on_commit_callbacks(execute=True):
            notify(browser.profile_id, message, key="back_in_stock:42")

    assert not Delivery.objects.exists()
    assert service.received() == []


# Exactly once


def test_sending_a_campaign_again_pushes_nothing_twice(service, django_capture_on_commit_callbacks):
    browsers = [make_subscription(service.endpoint(f"browser-{n}")) for n in range(5)]
    campaign = make_campaign()
    start(campaign, django_capture_on_commit_callbacks)

    send_due(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        fan_out_campaign.enqueue(campaign.pk)

    for subscription in browsers:
        assert len(service.received(subscription.endpoint)) == 1
    assert campaign.deliveries.count() == len(browsers)
    assert set(campaign.deliveries.values_list("status", flat=True)) == {"delivered"}


def test_a_batch_left_half_sent_by_a_crashed_sender_is_finished_without_pushing_twice(
    service, django_capture_on_commit_callbacks
):
    browsers = [make_subscription(service.endpoint(f"browser-{n}")) for n in range(6)]
    campaign = make_campaign()
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.SENDING, started_at=timezone.now()
    )
    fan_out(campaign.pk)
    # The crashed sender had claimed every delivery an hour ago and pushed the first two.
    an_hour_ago = timezone.now() - timedelta(hours=1)
    campaign.deliveries.update(status="sending", claimed_at=an_hour_ago)
    sent = [browser.pk for browser in browsers[:2]]
    campaign.deliveries.filter(subscription__in=sent).update(
        status="delivered", sent_at=an_hour_ago, attempts=1
    )

    send_due(django_capture_on_commit_callbacks)
    send_due(django_capture_on_commit_callbacks)

    for subscription in browsers[:2]:
        assert service.received(subscription.endpoint) == []
    for subscription in browsers[2:]:
        assert len(service.received(subscription.endpoint)) == 1
    assert campaign.deliveries.count() == len(browsers)
    assert set(campaign.deliveries.values_list("status", flat=True)) == {"delivered"}
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT


def test_a_fan_out_whose_worker_died_half_way_is_finished_by_the_dispatcher(
    service, django_capture_on_commit_callbacks
):
    browsers = [make_subscription(service.endpoint(f"browser-{n}")) for n in range(4)]
    campaign = make_campaign()
    eleven_minutes_ago = timezone.now() - timedelta(minutes=11)
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.SENDING, started_at=eleven_minutes_ago
    )
    # The worker wrote the first two deliveries, then died before writing the others.
    Delivery.objects.bulk_create(
        Delivery(campaign=campaign, subscription=browser) for browser in browsers[:2]
    )

    send_due(django_capture_on_commit_callbacks)

    for browser in browsers:
        assert len(service.received(browser.endpoint)) == 1
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT


def test_a_batch_another_sender_is_working_on_is_left_to_it(
    service, django_capture_on_commit_callbacks
):
    browser = make_subscription(service.endpoint("browser"))
    campaign = make_campaign()
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.SENDING, started_at=timezone.now()
    )
    fan_out(campaign.pk)
    campaign.deliveries.update(status="sending", claimed_at=timezone.now())

    send_due(django_capture_on_commit_callbacks)

    assert service.received(browser.endpoint) == []
    assert the_delivery(campaign).status == "sending"


def test_a_triggered_message_with_a_key_is_pushed_once(
    service, browser, django_capture_on_commit_callbacks
):
    message = PushMessage(title="Back in stock", body="Your size is here", url="/p/42/")

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            notify(browser.profile_id, message, key="back_in_stock:42")

    assert len(service.received(browser.endpoint)) == 1
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.key) == ("delivered", "back_in_stock:42")
