"""Many messages at once: the checks and writes of a chunk take the same handful of queries
whatever its size, and each message is decided exactly as it would be alone."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from omni_plugin.core.gdpr import erase_profile
from omni_plugin.messaging.channels import installed_channels, register_channel
from omni_plugin.messaging.content import MessageContent
from omni_plugin.messaging.errors import MessagingError
from omni_plugin.messaging.models import Message
from omni_plugin.messaging.sending import Outgoing, send_message, send_messages
from tests.messaging.factories import logged, make_customer

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
BACK = MessageContent(title="Back in stock", body="The Enamel Mug is back.", url="/mug/")
SALE = MessageContent(title="Mugs at half price", body="Only this week.", url="/mugs/")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOON, tick=False):
        yield


def customers(count, **kwargs):
    return [make_customer(f"customer{n}@example.com", **kwargs) for n in range(count)]


def queries_to_send(profiles):
    with CaptureQueriesContext(connection) as queries:
        results = send_messages(
            "back_in_stock", [Outgoing(p, BACK, key=f"product:1:{p.pk}") for p in profiles]
        )
    assert [message.status for message in results] == ["sent"] * len(profiles)
    return len(queries)


def test_a_chunk_costs_the_same_queries_for_five_customers_as_for_forty():
    everyone = customers(41)
    first, few, many = everyone[:1], everyone[1:6], everyone[6:]
    queries_to_send(first)  # the site, read once per process

    assert queries_to_send(many) == queries_to_send(few)
    assert len(mail.outbox) == 41


def test_each_message_of_a_chunk_is_logged_in_its_own_customers_timeline():
    ann, bob = customers(2)

    sent = send_messages("back_in_stock", [Outgoing(ann, BACK), Outgoing(bob.pk, BACK)])

    assert [email.to for email in mail.outbox] == [[ann.snapshot["email"]], [bob.snapshot["email"]]]
    for profile, message in zip((ann, bob), sent):
        assert logged(profile) == [
            (
                "message_sent",
                {
                    "intent": "back_in_stock",
                    "message": message.pk,
                    "title": BACK.title,
                    "reason": "",
                    "detail": "",
                },
            )
        ]


def test_the_same_message_twice_in_one_chunk_is_sent_once():
    (ann,) = customers(1)

    first, second = send_messages("back_in_stock", [Outgoing(ann, BACK, key="product:1")] * 2)

    assert (first.status, second.status, second.reason) == ("sent", "skipped", "duplicate")
    assert len(mail.outbox) == 1


def test_the_cap_counts_the_messages_of_the_chunk_itself(settings):
    settings.OMNI_MESSAGING_CAPS = {"marketing": [(2, 24 * 60 * 60)]}
    (ann,) = customers(1, consents=["email"])

    results = send_messages(
        "price_drop", [Outgoing(ann, SALE, key=f"product:{n}") for n in range(3)]
    )

    assert [message.status for message in results] == ["sent", "sent", "skipped"]
    assert results[2].reason == "capped"
    assert len(mail.outbox) == 2


def test_an_erased_customer_gets_nothing_and_the_others_their_message():
    ann, bob = customers(2)
    erase_profile(ann.pk)

    gone, sent = send_messages("back_in_stock", [Outgoing(ann, BACK), Outgoing(bob, BACK)])

    assert isinstance(gone, MessagingError)
    assert "erased" in str(gone)
    assert sent.status == "sent"
    assert not Message.objects.filter(profile=ann).exists()
    assert [email.to for email in mail.outbox] == [[bob.snapshot["email"]]]


def test_bad_content_in_a_chunk_refuses_the_whole_chunk_before_anything_is_written():
    ann, bob = customers(2)

    with pytest.raises(MessagingError, match="needs a title"):
        send_messages(
            "back_in_stock",
            [Outgoing(ann, BACK), Outgoing(bob, {"title": "", "body": "Back."})],
        )

    assert not Message.objects.exists()
    assert mail.outbox == []


def test_a_message_whose_channel_broke_mid_call_stays_sending_and_is_never_sent_twice(
    monkeypatch,
):
    (ann,) = customers(1)
    email = installed_channels()["email"]

    def broken(messages):
        raise ConnectionResetError("The mail server hung up.")

    monkeypatch.setattr(email, "send_many", broken)
    with pytest.raises(ConnectionResetError):
        send_message("back_in_stock", ann, BACK, key="product:1")
    monkeypatch.undo()

    (claimed,) = Message.objects.filter(profile=ann)
    assert claimed.status == "sending"
    again = send_message("back_in_stock", ann, BACK, key="product:1")
    assert (again.status, again.reason) == ("skipped", "duplicate")
    assert mail.outbox == []


def test_the_cap_counts_a_channels_own_campaigns_for_the_whole_chunk(settings):
    settings.OMNI_MESSAGING_CAPS = {"campaign": [(1, 24 * 60 * 60)]}
    ann, bob = customers(2, consents=["email"])
    counted = []

    class CampaignsChannel(type(installed_channels()["sms"])):
        name = "campaigns_seen"

        def campaigns_sent(self, profile_ids, since):
            counted.append(sorted(profile_ids))
            return {ann.pk: 1}

    register_channel(CampaignsChannel())
    try:
        results = send_messages("campaign", [Outgoing(ann, SALE), Outgoing(bob, SALE)])
    finally:
        del installed_channels()["campaigns_seen"]

    assert [message.status for message in results] == ["skipped", "sent"]
    assert counted == [sorted([ann.pk, bob.pk])]
