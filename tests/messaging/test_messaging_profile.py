"""Messaging as the profile sees it: the preferred channel, bounces, merges and the emails."""

from datetime import timedelta

import pytest
from django.contrib.sites.models import Site
from django.shortcuts import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from omni_plugin.core.events import record
from omni_plugin.core.identifiers import InvalidIdentifier
from omni_plugin.core.identity import attach
from omni_plugin.core.merging import merge, undo
from omni_plugin.core.models import Event, Merge, Profile
from omni_plugin.core.preferences import (
    InvalidChannelPreference,
    preferred_channel,
    set_preferred_channel,
)
from omni_plugin.messaging.bounces import email_bounced
from omni_plugin.messaging.intents import INTENTS
from omni_plugin.messaging.models import Message

pytestmark = pytest.mark.django_db

CommunicationEventType = get_model("communication", "CommunicationEventType")


def customer(email=None):
    profile = Profile.objects.create()
    if email:
        attach(profile.pk, "email", email, reason=Merge.Reason.REGISTRATION)
    return profile


def snapshot_of(profile):
    return Profile.objects.get(pk=profile.pk).snapshot


def message(profile, intent="basket_left", key="", status=Message.Status.SENT, **fields):
    return Message.objects.create(
        profile=profile,
        origin_profile=profile,
        intent=intent,
        key=key,
        content={"title": f"About {key or intent}", "body": "Come back."},
        channels=["email"],
        status=status,
        deadline=timezone.now() + timedelta(days=1),
        **fields,
    )


def test_a_customer_chooses_the_channel_to_be_reached_by():
    profile = customer()
    assert preferred_channel(snapshot_of(profile)) is None

    set_preferred_channel(profile.pk, "sms", source="account page")
    set_preferred_channel(profile, "email", source="till")

    assert preferred_channel(snapshot_of(profile)) == "email"
    event = Event.objects.filter(kind="channel_preferred").first()
    assert event.data == {"channel": "email", "source": "till"}


@pytest.mark.parametrize("channel", ["fax", "", None, "EMAIL"])
def test_an_unknown_channel_is_refused_and_nothing_recorded(channel):
    profile = customer()

    with pytest.raises(InvalidChannelPreference, match="is not a channel; use one of"):
        set_preferred_channel(profile.pk, channel, source="account page")

    assert not Event.objects.filter(kind="channel_preferred").exists()
    assert preferred_channel(snapshot_of(profile)) is None


def test_a_preference_needs_a_source_and_a_profile_in_use():
    profile = customer()
    with pytest.raises(InvalidChannelPreference, match="source"):
        set_preferred_channel(profile.pk, "push", source=" ")
    Profile.objects.filter(pk=profile.pk).update(erased_at=timezone.now())
    with pytest.raises(InvalidChannelPreference, match="no profile"):
        set_preferred_channel(profile.pk, "push", source="account page")
    assert not Event.objects.filter(kind="channel_preferred").exists()


def test_a_bounce_marks_the_profile_holding_the_address():
    ann, bob = customer("ann@example.com"), customer("bob@example.com")
    bounced_at = timezone.now() - timedelta(minutes=5)

    marked = email_bounced(" Ann@Example.COM ", now=bounced_at)

    assert marked == [ann.pk]
    assert snapshot_of(ann)["bounced_emails"] == ["ann@example.com"]
    assert "bounced_emails" not in snapshot_of(bob)
    event = Event.objects.get(kind="email_bounced")
    assert (event.profile_id, event.channel, event.occurred_at) == (ann.pk, "email", bounced_at)


def test_a_bounce_does_not_count_as_the_customers_activity():
    ann = customer("ann@example.com")
    record("product_viewed", profile=ann.pk, occurred_at=timezone.now() - timedelta(days=90))
    seen = Profile.objects.get(pk=ann.pk).last_seen

    email_bounced("ann@example.com")

    assert Profile.objects.get(pk=ann.pk).last_seen == seen


def test_a_bounce_from_an_unknown_address_marks_nobody():
    customer("ann@example.com")

    assert email_bounced("nobody@example.com") == []
    assert not Event.objects.filter(kind="email_bounced").exists()


def test_a_bounce_for_something_that_is_not_an_address_is_refused():
    with pytest.raises(InvalidIdentifier):
        email_bounced("null")
    assert not Event.objects.filter(kind="email_bounced").exists()


def test_a_merge_moves_messages_but_keeps_one_per_key_on_the_survivor(
    django_capture_on_commit_callbacks,
):
    survivor, merged = customer("ann@example.com"), customer()
    held = message(survivor, key="basket:1")
    duplicate = message(merged, key="basket:1")
    other = message(merged, key="basket:2")
    skipped = message(merged, key="basket:1", status=Message.Status.SKIPPED, reason="capped")
    keyless = message(merged, intent="campaign")

    with django_capture_on_commit_callbacks(execute=True):
        merge(survivor.pk, merged.pk, Merge.Reason.LOGIN)

    on_survivor = set(Message.objects.filter(profile=survivor).values_list("pk", flat=True))
    assert on_survivor == {held.pk, other.pk, skipped.pk, keyless.pk}
    assert Message.objects.get(pk=duplicate.pk).profile_id == merged.pk


def test_undoing_a_merge_gives_the_messages_back(django_capture_on_commit_callbacks):
    survivor, merged = customer("ann@example.com"), customer()
    theirs = message(merged, key="product:7", intent="back_in_stock")
    with django_capture_on_commit_callbacks(execute=True):
        journal = merge(survivor.pk, merged.pk, Merge.Reason.LOGIN)
    assert Message.objects.get(pk=theirs.pk).profile_id == survivor.pk
    since = message(survivor, key="basket:3")

    undo(journal)

    assert Message.objects.get(pk=theirs.pk).profile_id == merged.pk
    assert Message.objects.get(pk=since.pk).profile_id == survivor.pk


CONTEXT = {
    "title": "Your basket misses you",
    "body": "The Enamel Mug & friends are waiting.",
    "url": "https://shop.example.com/basket/",
    "image": "https://shop.example.com/media/mug.jpg",
    "data": {},
    "intent": "Basket left",
}


@pytest.mark.parametrize("name", sorted(INTENTS))
def test_every_intent_has_an_email_and_an_sms_with_the_title_body_and_link(name):
    code = INTENTS[name].email_code
    context = {**CONTEXT, "site": Site.objects.get_current()}

    rendered = CommunicationEventType.objects.get_and_render(code, context)

    assert rendered["subject"] == "Your basket misses you"
    assert "The Enamel Mug & friends are waiting." in rendered["body"]
    assert "https://shop.example.com/basket/" in rendered["body"]
    assert "Your basket misses you" in rendered["html"]
    assert "The Enamel Mug &amp; friends are waiting." in rendered["html"]
    assert 'href="https://shop.example.com/basket/"' in rendered["html"]
    assert 'src="https://shop.example.com/media/mug.jpg"' in rendered["html"]
    assert "Take a look" in rendered["html"]
    assert rendered["sms"] == (
        "Your basket misses you: The Enamel Mug & friends are waiting. "
        "https://shop.example.com/basket/"
    )


def test_an_email_without_a_link_has_no_button():
    context = {**CONTEXT, "url": "", "image": "", "site": Site.objects.get_current()}

    rendered = CommunicationEventType.objects.get_and_render("OMNI_WIN_BACK", context)

    assert "Take a look" not in rendered["html"] and "<img" not in rendered["html"]
    assert rendered["sms"] == "Your basket misses you: The Enamel Mug & friends are waiting."


def test_a_shops_own_template_in_the_dashboard_replaces_the_file():
    CommunicationEventType.objects.filter(code="OMNI_PRICE_DROP").update(
        email_subject_template="Cheaper now: {{ title }}"
    )

    rendered = CommunicationEventType.objects.get_and_render(
        "OMNI_PRICE_DROP", {**CONTEXT, "site": Site.objects.get_current()}
    )

    assert rendered["subject"] == "Cheaper now: Your basket misses you"
    assert "The Enamel Mug & friends are waiting." in rendered["body"]


def test_the_dashboards_email_list_shows_every_intent(client, django_user_model):
    staff = django_user_model.objects.create_user(
        username="staff", email="staff@example.com", is_staff=True, is_superuser=True
    )
    client.force_login(staff)

    html = client.get(reverse("dashboard:comms-list")).content.decode()

    for intent in INTENTS.values():
        assert f"Omni: {intent.label}" in html
    edit = client.get(reverse("dashboard:comms-update", args=["OMNI_BASKET_LEFT"]))
    assert edit.status_code == 200
    assert CommunicationEventType.objects.get(code="OMNI_BASKET_LEFT").category == "User related"
