import json
import uuid
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import DatabaseError
from django.utils import timezone
from oscar.test.factories import create_product

from omni_plugin.core import profiles
from omni_plugin.core.consent import record_consent
from omni_plugin.core.events import record
from omni_plugin.core.gdpr import erase_profile, export_profile
from omni_plugin.core.identity import attach
from omni_plugin.core.models import Consent, Event, Identifier, Merge, Profile
from omni_plugin.messaging.models import Message

pytestmark = pytest.mark.django_db

ANN_VISITOR = uuid.uuid4().hex
PERSONAL = ["ann@example.com", ANN_VISITOR, "100023", "mugs for ann"]


@pytest.fixture
def product():
    return create_product(title="Enamel Mug", price=Decimal("12.50"), num_in_stock=5)


@pytest.fixture
def ann(product, django_capture_on_commit_callbacks):
    """Ann's account profile, and the profile of her browser, merged into it when she logged in."""
    account = Profile.objects.create()
    attach(account.pk, "email", "ann@example.com", reason=Merge.Reason.REGISTRATION)
    record(
        "order_placed",
        profile=account.pk,
        order_number="100023",
        value=Decimal("12.50"),
        data={"lines": [], "currency": "GBP"},
    )
    record_consent(account.pk, "email", "granted", source="checkout")
    browser = Profile.objects.create()
    attach(browser.pk, "visitor", ANN_VISITOR, reason=Merge.Reason.LOGIN)
    record("product_viewed", profile=browser.pk, product=product)
    record("user_search", profile=browser.pk, data={"query": "mugs for ann"})
    with django_capture_on_commit_callbacks(execute=True):
        attach(browser.pk, "email", "ann@example.com", reason=Merge.Reason.LOGIN)
    return SimpleNamespace(account=account.pk, browser=browser.pk)


@pytest.fixture
def bob():
    profile = Profile.objects.create()
    attach(profile.pk, "email", "bob@example.com", reason=Merge.Reason.REGISTRATION)
    record("user_search", profile=profile.pk, data={"query": "teapots"})
    return profile.pk


def test_the_export_holds_the_whole_person(ann, product):
    export = json.loads(json.dumps(export_profile(ann.account)))

    assert export["profile"]["id"] == ann.account
    assert export["profile"]["merged_profiles"] == [ann.browser]
    assert export["snapshot"]["email"] == "ann@example.com"
    assert {(i["kind"], i["value"]) for i in export["identifiers"]} == {
        ("email", "ann@example.com"),
        ("visitor", ANN_VISITOR),
    }
    events = {event["kind"]: event for event in export["events"]}
    assert set(events) == {"order_placed", "consent_recorded", "product_viewed", "user_search"}
    assert events["product_viewed"]["product_id"] == product.pk
    assert events["product_viewed"]["recorded_on_profile"] == ann.browser
    assert events["order_placed"]["order_number"] == "100023"
    assert events["order_placed"]["value"] == "12.50"
    assert events["user_search"]["data"] == {"query": "mugs for ann"}
    assert [(c["purpose"], c["status"], c["source"]) for c in export["consents"]] == [
        ("email", "granted", "checkout")
    ]
    assert [(m["survivor"], m["merged"], m["reason"]) for m in export["merges"]] == [
        (ann.account, ann.browser, "login")
    ]


def test_a_profile_merged_away_is_exported_as_the_profile_it_went_into(ann):
    assert export_profile(ann.browser)["profile"]["id"] == ann.account


def test_erasure_removes_identity_and_anonymises_events(ann, bob, product):
    statistics = sorted(Event.objects.values_list("kind", "product_id", "value", "occurred_at"))

    erasure = erase_profile(Profile.objects.get(pk=ann.account))

    assert erasure.profile_ids == sorted([ann.account, ann.browser])
    assert (erasure.identifiers, erasure.consents) == (2, 1)
    assert not Identifier.objects.exclude(profile_id=bob).exists()
    assert not Consent.objects.exists()
    for profile in Profile.objects.filter(pk__in=[ann.account, ann.browser]):
        assert profile.snapshot == {}
        assert profile.erased_at is not None
    for data, order_number, profile, origin in Event.objects.exclude(profile_id=bob).values_list(
        "data", "order_number", "profile_id", "origin_profile_id"
    ):
        assert (data, order_number, profile, origin) == ({}, "", None, None)
    assert sorted(Event.objects.values_list("kind", "product_id", "value", "occurred_at")) == (
        statistics
    )


def test_other_customers_are_left_alone(ann, bob):
    erase_profile(ann.account)
    assert Identifier.objects.get(profile_id=bob).value == "bob@example.com"
    assert Event.objects.get(profile_id=bob).data == {"query": "teapots"}
    assert Profile.objects.get(pk=bob).snapshot["email"] == "bob@example.com"


def test_nothing_personal_is_left_to_export(ann):
    erase_profile(ann.browser)

    exported = json.dumps(export_profile(ann.account))

    assert not [value for value in PERSONAL if value in exported]
    export = json.loads(exported)
    assert export["identifiers"] == export["consents"] == []
    assert export["snapshot"] == {}
    assert export["profile"]["erased_at"]


def test_erasing_again_changes_nothing(ann):
    erase_profile(ann.account)
    erased_at = Profile.objects.get(pk=ann.account).erased_at

    again = erase_profile(ann.account)

    assert (again.identifiers, again.events, again.consents) == (0, 0, 0)
    assert Profile.objects.get(pk=ann.account).erased_at == erased_at


def test_the_browser_no_longer_leads_to_the_profile(ann, django_capture_on_commit_callbacks):
    assert profiles.profile_for_visitor(ANN_VISITOR).id == ann.account  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        erase_profile(ann.account)

    assert profiles.profile_for_visitor(ANN_VISITOR) is None


def test_a_failed_erasure_changes_nothing(ann):
    with mock.patch.object(Event.objects, "filter", side_effect=DatabaseError("disk full")):
        with pytest.raises(DatabaseError):
            erase_profile(ann.account)

    assert Identifier.objects.filter(profile_id=ann.account).count() == 2
    assert Consent.objects.count() == 1
    assert Profile.objects.get(pk=ann.account).erased_at is None


def sent_message(profile_id, title, **fields):
    """A back-in-stock message to the profile, sent by email unless ``fields`` say otherwise."""
    values = {"status": "sent", "channel": "email", "sent_at": timezone.now(), **fields}
    return Message.objects.create(
        profile_id=profile_id,
        origin_profile_id=profile_id,
        intent="back_in_stock",
        content={"title": title, "body": "It is back."},
        channels=["email"],
        deadline=timezone.now() + timedelta(days=3),
        **values,
    )


def test_the_export_lists_the_messages_sent_or_skipped(ann):
    sent_message(ann.account, "Your mug is back")
    sent_message(ann.account, "Mugs for Ann", status="skipped", reason="capped", sent_at=None)

    export = json.loads(json.dumps(export_profile(ann.browser)))

    assert [
        (m["intent"], m["status"], m["reason"], m["channel"], m["title"])
        for m in export["messages"]
    ] == [
        ("back_in_stock", "sent", "", "email", "Your mug is back"),
        ("back_in_stock", "skipped", "capped", "email", "Mugs for Ann"),
    ]
    assert export["messages"][0]["created_at"] and export["messages"][0]["sent_at"]
    assert export["messages"][1]["sent_at"] is None


def test_erasure_deletes_the_messages_of_the_whole_person(ann, bob):
    sent_message(ann.account, "Your mug is back")
    sent_message(ann.browser, "Mugs for Ann")
    bobs = sent_message(bob, "Teapots are back")

    erase_profile(ann.account)

    assert list(Message.objects.values_list("pk", flat=True)) == [bobs.pk]
    assert "Mug" not in json.dumps(export_profile(ann.account))
