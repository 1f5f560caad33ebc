"""Messages by web push to a push service on 127.0.0.1: a browser that got it, and a browser
gone from its push service (410), after which the message goes by email instead."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from omni_plugin.messaging.content import MessageContent
from omni_plugin.messaging.sending import send_message
from omni_plugin.messaging.tasks import dispatch_messages
from omni_plugin.push.models import Delivery, PushSubscription
from tests.messaging.factories import logged, make_customer
from tests.push.mock_service import MockPushService, Reply
from tests.push.shop import allow_push_service, browser_keys, use_vapid_identity

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
BACK = MessageContent(title="Back in stock", body="The Enamel Mug is back.", url="/mug/")


@pytest.fixture
def service(settings):
    public_key = use_vapid_identity(settings)
    allow_push_service(settings, "127.0.0.1")
    with MockPushService(public_key=public_key) as service:
        yield service


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def subscribe(profile, endpoint):
    return PushSubscription.objects.create(
        profile=profile, endpoint=endpoint, device=PushSubscription.Device.DESKTOP, **browser_keys()
    )


def test_a_message_goes_by_push_to_a_subscribed_browser(
    service, clock, django_capture_on_commit_callbacks
):
    ann = make_customer()
    browser = subscribe(ann, service.endpoint("ann"))

    with django_capture_on_commit_callbacks(execute=True):
        message = send_message("back_in_stock", ann, BACK, key="product:1")

    message.refresh_from_db()
    assert (message.status, message.channel) == ("sent", "push")
    assert len(service.received(browser.endpoint)) == 1
    assert mail.outbox == []
    assert Delivery.objects.get().status == "delivered"
    assert [kind for kind, _ in logged(ann)] == ["message_sent"]


def test_a_browser_gone_from_its_push_service_hands_the_message_to_email(
    service, clock, django_capture_on_commit_callbacks
):
    ann = make_customer()
    browser = subscribe(ann, service.endpoint("ann"))
    service.script(browser.endpoint, Reply(410))

    with django_capture_on_commit_callbacks(execute=True):
        message = send_message("back_in_stock", ann, BACK, key="product:1")

    message.refresh_from_db()
    assert (message.status, message.channel) == ("sent", "email")
    assert [(a["channel"], a["outcome"]) for a in message.attempts] == [
        ("push", "pending"),
        ("push", "failed"),
        ("email", "sent"),
    ]
    assert "expired" in message.attempts[1]["detail"]
    (email,) = mail.outbox
    assert email.to == ["ann@example.com"] and "Back in stock" in email.subject
    browser.refresh_from_db()
    assert not browser.active

    # The next message does not try the browser that is gone.
    with django_capture_on_commit_callbacks(execute=True):
        second = send_message("back_in_stock", ann, BACK, key="product:2")
    assert second.channel == "email"
    assert len(service.received(browser.endpoint)) == 1


def test_a_push_whose_outcome_comes_after_the_deadline_fails_instead_of_emailing_late(
    service, clock, django_capture_on_commit_callbacks, monkeypatch
):
    from omni_plugin.push import messages

    ann = make_customer()
    subscribe(ann, service.endpoint("ann"))
    # A worker that took the push and died: its outcome is never told.
    monkeypatch.setattr(messages, "_enqueue", lambda delivery_ids: None)
    with django_capture_on_commit_callbacks(execute=True):
        message = send_message("back_in_stock", ann, BACK, key="product:1")
    Delivery.objects.update(status=Delivery.Status.EXPIRED, reason="Gone.")

    clock.shift(timedelta(days=4))
    dispatch_messages.call()

    message.refresh_from_db()
    assert (message.status, message.reason) == ("failed", "channels_failed")
    assert mail.outbox == []


def test_a_push_campaign_the_customer_got_counts_against_the_marketing_cap(
    service, clock, settings
):
    from tests.push.shop import make_campaign

    settings.OMNI_MESSAGING_CAPS = {"marketing": [(1, 24 * 60 * 60)]}
    ann = make_customer(consents=["email"])
    browser = subscribe(ann, service.endpoint("ann"))
    Delivery.objects.create(
        campaign=make_campaign(),
        subscription=browser,
        status=Delivery.Status.DELIVERED,
        sent_at=NOON - timedelta(hours=2),
    )

    message = send_message("price_drop", ann, BACK, first_channel="email")

    assert (message.status, message.reason) == ("skipped", "capped")
    assert mail.outbox == []
