"""One entry point for every message: consent per channel and purpose, a frequency cap over
all channels, quiet hours in the customer's own time zone, once-only keys, and the next
channel when one fails. The clock is frozen so that times are exact."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from omni_plugin.core.consent import record_consent
from omni_plugin.core.gdpr import erase_profile
from omni_plugin.messaging import sms
from omni_plugin.messaging.content import MessageContent
from omni_plugin.messaging.errors import MessagingError
from omni_plugin.messaging.models import Message
from omni_plugin.messaging.sending import send_message
from tests.messaging.factories import logged, make_customer

pytestmark = pytest.mark.django_db

#: Noon in London: outside the quiet hours of customers in Europe.
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
PRICE_DROP = MessageContent(
    title="The Enamel Mug is now £9", body="It was £12. Only this week.", url="/catalogue/mug_1/"
)


@pytest.fixture(autouse=True)
def texts(settings):
    settings.OMNI_SMS_BACKEND = "omni_plugin.messaging.sms.MemoryBackend"
    sms.outbox.clear()
    return sms.outbox


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def dispatch():
    """What runs every minute."""
    call_command("omni_messaging_dispatch", stdout=StringIO())


# Consent


def test_without_consent_a_marketing_message_is_not_sent_and_the_log_says_why(clock):
    ann = make_customer()

    message = send_message("price_drop", ann, PRICE_DROP, key="product:1")

    assert (message.status, message.reason) == ("skipped", "no_consent")
    assert "No consent for marketing by Email" in message.detail
    assert mail.outbox == []
    assert logged(ann) == [
        (
            "message_skipped",
            {
                "intent": "price_drop",
                "message": message.pk,
                "title": PRICE_DROP.title,
                "reason": "no_consent",
                "detail": message.detail,
            },
        )
    ]


def test_a_marketing_message_goes_by_email_once_the_customer_said_yes(clock):
    ann = make_customer(consents=["email"])

    message = send_message("price_drop", ann, PRICE_DROP, key="product:1")

    assert (message.status, message.channel) == ("sent", "email")
    (email,) = mail.outbox
    assert email.to == ["ann@example.com"]
    assert PRICE_DROP.title in email.subject
    assert "It was £12" in email.body
    assert "/catalogue/mug_1/" in email.body
    assert logged(ann)[-1][0] == "message_sent"


def test_a_service_message_needs_no_marketing_consent_but_respects_a_withdrawal(clock):
    ann = make_customer()
    back = MessageContent(title="Back in stock", body="The mug is back.", url="/mug/")

    assert send_message("back_in_stock", ann, back, key="alert:1").status == "sent"
    record_consent(ann.pk, "email", "withdrawn", source="account page")
    ann.refresh_from_db()
    refused = send_message("back_in_stock", ann, back, key="alert:2")

    assert (refused.status, refused.reason) == ("skipped", "no_consent")
    assert len(mail.outbox) == 1


def test_a_customer_nothing_reaches_is_skipped_as_unreachable(clock):
    nobody = make_customer(email=None)

    message = send_message("back_in_stock", nobody, PRICE_DROP)

    assert (message.status, message.reason) == ("skipped", "unreachable")


# Frequency cap


def test_the_cap_holds_across_channels(clock, settings, texts):
    settings.OMNI_MESSAGING_CAPS = {"price_drop": [(1, 24 * 60 * 60)]}
    ann = make_customer(phone="07700 900123", consents=["email", "sms"])

    first = send_message("price_drop", ann, PRICE_DROP, key="product:1")
    by_sms = send_message("price_drop", ann, PRICE_DROP, key="product:2", first_channel="sms")

    assert (first.status, first.channel) == ("sent", "email")
    assert (by_sms.status, by_sms.reason) == ("skipped", "capped")
    assert "1 price_drop messages in the last 1 day" in by_sms.detail
    assert texts == []

    clock.shift(timedelta(hours=24, seconds=1))
    later = send_message("price_drop", ann, PRICE_DROP, key="product:2", first_channel="sms")

    assert (later.status, later.channel) == ("sent", "sms")
    assert texts == [
        (
            "+447700900123",
            f"{PRICE_DROP.title}: {PRICE_DROP.body} http://example.com/catalogue/mug_1/",
        )
    ]


def test_a_purpose_cap_counts_every_intent_of_that_purpose(clock, settings):
    settings.OMNI_MESSAGING_CAPS = {"marketing": [(2, 24 * 60 * 60)]}
    ann = make_customer(consents=["email"])

    results = [
        send_message(intent, ann, PRICE_DROP).status
        for intent in ("price_drop", "basket_left", "win_back")
    ]

    assert results == ["sent", "sent", "skipped"]


# Quiet hours


def test_quiet_hours_defer_a_message_to_the_morning_in_the_customers_time_zone(clock):
    # 06:00 in New York is 10:00 in London: quiet for the New Yorker only.
    clock.move_to(datetime(2026, 3, 10, 10, 0, tzinfo=UTC))
    new_yorker = make_customer("nick@example.com", time_zone="America/New_York")
    londoner = make_customer("lou@example.com", time_zone="Europe/London")
    back = MessageContent(title="Back in stock", body="The mug is back.", url="/mug/")

    deferred = send_message("back_in_stock", new_yorker, back, key="alert:1")
    at_once = send_message("back_in_stock", londoner, back, key="alert:1")

    assert at_once.status == "sent"
    assert (deferred.status, deferred.reason) == ("deferred", "quiet_hours")
    # 09:00 in New York (EDT since 8 March) is 13:00 UTC.
    assert deferred.due_at == datetime(2026, 3, 10, 13, 0, tzinfo=UTC)
    assert "EDT" in deferred.detail
    assert [m.to for m in mail.outbox] == [["lou@example.com"]]

    clock.move_to(datetime(2026, 3, 10, 12, 59, tzinfo=UTC))
    dispatch()
    assert len(mail.outbox) == 1

    clock.move_to(datetime(2026, 3, 10, 13, 0, tzinfo=UTC))
    dispatch()
    deferred.refresh_from_db()
    assert (deferred.status, deferred.channel) == ("sent", "email")
    assert mail.outbox[-1].to == ["nick@example.com"]
    assert [kind for kind, _ in logged(new_yorker)] == ["message_deferred", "message_sent"]


def test_a_message_that_no_longer_matters_by_the_morning_is_dropped(clock, settings):
    settings.OMNI_MESSAGING_QUIET_HOURS = (21, 9)
    clock.move_to(datetime(2026, 3, 10, 22, 0, tzinfo=UTC))
    ann = make_customer(consents=["email"])

    message = send_message("campaign", ann, PRICE_DROP)
    # A campaign matters for a day: sent by 09:00 it would still matter, so it waits.
    assert message.status == "deferred"

    with_short_life = send_message("campaign", ann, PRICE_DROP, key="flash")
    Message.objects.filter(pk=with_short_life.pk).update(deadline=NOON.replace(day=10, hour=23))
    clock.move_to(datetime(2026, 3, 11, 9, 0, tzinfo=UTC))
    dispatch()

    with_short_life.refresh_from_db()
    assert (with_short_life.status, with_short_life.reason) == ("skipped", "expired")


def test_without_quiet_hours_messages_go_at_any_hour(clock, settings):
    settings.OMNI_MESSAGING_QUIET_HOURS = None
    clock.move_to(datetime(2026, 3, 10, 3, 0, tzinfo=UTC))

    assert send_message("back_in_stock", make_customer(), PRICE_DROP).status == "sent"


# Once only


def test_the_same_intent_about_the_same_thing_is_sent_once(clock):
    ann = make_customer()
    back = MessageContent(title="Back in stock", body="The mug is back.", url="/mug/")

    first = send_message("back_in_stock", ann, back, key="product:1")
    again = send_message("back_in_stock", ann, back, key="product:1")
    other = send_message("back_in_stock", ann, back, key="product:2")

    assert [first.status, again.status, other.status] == ["sent", "skipped", "sent"]
    assert again.reason == "duplicate"
    assert len(mail.outbox) == 2


# Channels


def test_the_customers_preferred_channel_comes_first(clock, texts):
    ann = make_customer(phone="07700 900123")
    from omni_plugin.core.events import update_snapshot

    update_snapshot(ann.pk, lambda snapshot: snapshot.update(preferred_channel="sms"))

    message = send_message("back_in_stock", ann, PRICE_DROP)

    assert message.channel == "sms"
    assert len(texts) == 1 and mail.outbox == []


def test_a_long_text_is_shortened_to_two_sms_segments_keeping_the_link(clock, texts):
    ann = make_customer(email=None, phone="07700 900123")
    long = MessageContent(title="Back in stock", body="word " * 150, url="/mug/")

    send_message("back_in_stock", ann, long)

    ((phone, text),) = texts
    assert len(text) == 306
    assert text.endswith("… http://example.com/mug/")


def test_the_on_site_notice_goes_to_the_customers_account_inbox(clock, django_user_model):
    user = django_user_model.objects.create_user("ann", "ann@example.com", "pw")
    ann = make_customer(email=None)
    from omni_plugin.core.identity import attach
    from omni_plugin.core.models import Merge

    attach(ann.pk, "user", str(user.pk), reason=Merge.Reason.LOGIN)
    ann.refresh_from_db()
    content = MessageContent(title="<Mug> is back", body="Come & see", url="/mug/")

    message = send_message("back_in_stock", ann, content, first_channel="onsite")

    assert message.channel == "onsite"
    (notice,) = user.notifications.all()
    assert notice.subject == '<a href="/mug/">&lt;Mug&gt; is back</a>'
    assert notice.body == "Come &amp; see"


def test_an_sms_gateway_failure_falls_back_to_the_next_channel(clock, settings):
    settings.OMNI_SMS_BACKEND = "tests.messaging.test_messaging.BrokenGateway"
    ann = make_customer(phone="07700 900123")

    message = send_message("back_in_stock", ann, PRICE_DROP, first_channel="sms")

    assert (message.status, message.channel) == ("sent", "email")
    assert [(a["channel"], a["outcome"]) for a in message.attempts] == [
        ("sms", "failed"),
        ("email", "sent"),
    ]
    assert "out of credit" in message.attempts[0]["detail"]


class BrokenGateway(sms.BaseSMSBackend):
    def send(self, phone, text):
        raise sms.SMSError("out of credit")


def test_when_every_channel_fails_the_message_fails_with_each_reason(clock, settings):
    settings.OMNI_SMS_BACKEND = "tests.messaging.test_messaging.BrokenGateway"
    ann = make_customer(email=None, phone="07700 900123")

    message = send_message("back_in_stock", ann, PRICE_DROP)

    assert (message.status, message.reason) == ("failed", "channels_failed")
    assert "sms: The SMS gateway refused it: out of credit" in message.detail
    assert logged(ann)[-1][0] == "message_failed"


# Bad input


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"intent": "birthday"}, "'birthday' is not a message intent"),
        ({"content": {"title": "", "body": "x"}}, "needs a title"),
        (
            {"content": {"title": "x", "body": "y", "url": "javascript:alert(1)"}},
            "path on the shop",
        ),
        ({"content": {"title": "x", "body": "y", "url": "http://evil.example/"}}, "https://"),
        ({"content": {"title": "x", "body": "y", "colour": "red"}}, "has no colour"),
        ({"first_channel": "fax"}, "'fax' is not a channel"),
        ({"key": "k" * 101}, "at most 100 characters"),
    ],
)
def test_bad_input_is_refused_with_the_reason_and_records_nothing(clock, arguments, error):
    ann = make_customer()
    call = {"intent": "back_in_stock", "content": PRICE_DROP, **arguments}

    with pytest.raises(MessagingError, match=error):
        send_message(call.pop("intent"), ann, call.pop("content"), **call)

    assert not Message.objects.exists()
    assert mail.outbox == []


def test_an_erased_profile_gets_no_message(clock):
    ann = make_customer()
    erase_profile(ann.pk)

    with pytest.raises(MessagingError, match="was erased"):
        send_message("back_in_stock", ann, PRICE_DROP)
    assert not Message.objects.exists()


# Bounces and intents of the shop's own


def test_a_bounce_hands_the_emailed_message_to_the_next_channel(clock, texts):
    from omni_plugin.messaging.bounces import email_bounced

    ann = make_customer(phone="07700 900123")
    message = send_message("back_in_stock", ann, PRICE_DROP, key="product:1")
    assert message.channel == "email"

    clock.shift(timedelta(minutes=5))
    email_bounced("Ann@Example.com")

    message.refresh_from_db()
    assert (message.status, message.channel) == ("sent", "sms")
    assert [(a["channel"], a["outcome"]) for a in message.attempts] == [
        ("email", "sent"),
        ("email", "failed"),
        ("sms", "sent"),
    ]
    assert len(texts) == 1
    # Mail is not sent to the address again.
    assert send_message("back_in_stock", ann, PRICE_DROP, key="product:2").channel == "sms"
    assert len(mail.outbox) == 1


def test_an_intent_the_shop_registered_is_emailed_with_the_shared_templates(clock):
    from omni_plugin.messaging.intents import INTENTS, MARKETING, Intent, register_intent

    register_intent(Intent("birthday", "Birthday", MARKETING, timedelta(days=1)))
    try:
        message = send_message(
            "birthday",
            make_customer(consents=["email"]),
            MessageContent(title="Happy birthday", body="A gift awaits.", url="/gift/"),
        )
    finally:
        del INTENTS["birthday"]

    assert message.status == "sent"
    (email,) = mail.outbox
    assert "Happy birthday" in email.subject
    assert "A gift awaits." in email.body and "http://example.com/gift/" in email.body
