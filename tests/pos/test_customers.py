"""A customer at the till: found by loyalty card, email, phone or the QR code from their
account page, shown with what the till needs; or enrolled there, with their consents."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from conftest import PASSWORD, make_customer
from django.core import signing
from django.utils import timezone

from omni_plugin.core.consent import allows, record_consent
from omni_plugin.core.events import ingest, new_event
from omni_plugin.core.identity import attach
from omni_plugin.core.models import Consent, Identifier, Merge, Profile
from omni_plugin.pos import qr
from omni_plugin.pos.customers import reference
from tests.personalization.segment_factories import make_segment

pytestmark = pytest.mark.django_db
Kind = Identifier.Kind


@pytest.fixture
def ada(product, category):
    """A customer with a loyalty card, an email and a phone, who bought mugs online."""
    profile_id = Profile.objects.create().pk
    attach(profile_id, Kind.LOYALTY, "OMNI-1001", reason=Merge.Reason.POS)
    attach(profile_id, Kind.EMAIL, "ada@example.com", reason=Merge.Reason.POS)
    attach(profile_id, Kind.PHONE, "07700 900123", reason=Merge.Reason.POS)
    record_consent(profile_id, "email", "granted", source="checkout")
    ingest({profile_id: [new_event("product_viewed", product=product)] * 3})
    return profile_id


@pytest.mark.parametrize(
    "identification",
    [
        {"loyalty_card": " omni-1001 "},
        {"email": "Ada@Example.com"},
        {"phone": "+44 7700 900123"},
    ],
)
def test_a_customer_is_found_by_card_email_or_phone(till, ada, identification):
    response = till.post("customers/lookup/", identification)

    assert response.status_code == 200
    assert response.json()["id"] == reference(ada)


def test_the_summary_has_a_section_per_part(till, store, ada, category, product):
    make_segment("Mug lovers", ("affinity", {"category": category.pk, "threshold": 1}))

    summary = till.post("customers/lookup/", {"loyalty_card": "OMNI-1001"}).json()

    assert set(summary) == {
        "id",
        "name",
        "consents",
        "segments",
        "favourite_categories",
        "open_pickups",
        "recommendations",
        "alerts",
    }
    assert summary["consents"]["email"]["status"] == "granted"
    assert summary["segments"] == [{"id": mock.ANY, "name": "Mug lovers"}]
    assert summary["favourite_categories"] == [{"id": category.pk, "name": "Mugs"}]
    assert summary["open_pickups"] == []
    assert summary["alerts"] == []


def test_nobody_found_is_a_404_and_junk_a_400(till, ada):
    missing = till.post("customers/lookup/", {"email": "bob@example.com"})
    junk = till.post("customers/lookup/", {"loyalty_card": "0000"})
    two = till.post("customers/lookup/", {"email": "ada@example.com", "phone": "07700 900123"})

    assert missing.status_code == 404
    assert missing.json() == {"detail": "No customer has the email address bob@example.com."}
    assert junk.status_code == 400
    assert "junk" in junk.json()["detail"]
    assert two.status_code == 400
    assert two.json()["detail"] == "Give exactly one of loyalty_card, email, phone, qr."


def test_a_merged_customer_is_found_as_the_profile_they_joined(till, ada):
    other = Profile.objects.create().pk
    attach(other, Kind.LOYALTY, "OMNI-2002", reason=Merge.Reason.POS)
    attach(other, Kind.EMAIL, "ada@example.com", reason=Merge.Reason.POS)  # the same person

    summary = till.post("customers/lookup/", {"loyalty_card": "OMNI-2002"}).json()

    assert summary["id"] == reference(ada)


def test_the_qr_code_from_the_account_page_identifies_the_customer_once(client, till):
    customer = make_customer("grace@example.com")
    client.login(username=customer.email, password=PASSWORD)
    issued, issue = [], qr.issue_token
    with mock.patch.object(qr, "issue_token", lambda pid: issued.append(issue(pid)) or issued[-1]):
        page = client.get("/omni/account/store-code/")
    (token,) = issued

    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")
    found = till.post("customers/lookup/", {"qr": token})
    assert found.status_code == 200
    profile_id = Identifier.objects.get(kind=Kind.USER, value=str(customer.pk)).profile_id
    assert found.json()["id"] == reference(profile_id)

    replayed = till.post("customers/lookup/", {"qr": token})
    assert replayed.status_code == 400
    assert replayed.json()["detail"] == (
        "This QR code was used already: the customer can show a fresh one."
    )


def test_an_expired_qr_code_is_refused(till, ada):
    with time_machine.travel(timezone.now() - timedelta(minutes=6)):
        token = qr.issue_token(ada)

    response = till.post("customers/lookup/", {"qr": token})

    assert response.status_code == 400
    assert "expired" in response.json()["detail"]


@pytest.mark.parametrize(
    "forge",
    [
        lambda profile: signing.dumps({"p": profile, "n": "abc"}, salt="another salt"),
        lambda profile: signing.dumps(
            {"p": profile, "n": "abc"}, key="not the secret key", salt=qr.SALT
        ),
        lambda profile: qr.issue_token(profile).replace(":", ":x", 1),
        lambda profile: f"OMNI-{profile}",
    ],
)
def test_a_forged_qr_code_is_refused(till, ada, forge):
    response = till.post("customers/lookup/", {"qr": forge(ada)})

    assert response.status_code == 400
    assert response.json()["detail"] == "This is not a QR code from the shop's account pages."


def test_a_new_customer_is_enrolled_with_the_consents_they_gave(till):
    response = till.post(
        "customers/",
        {
            "email": "Lin@Example.com",
            "loyalty_card": "OMNI-3003",
            "name": "Lin Wu",
            "consents": {"email": "granted", "sms": "denied"},
        },
    )

    assert response.status_code == 201
    summary = response.json()
    assert summary["name"] == "Lin Wu"
    profile = Profile.objects.get(identifiers__kind=Kind.LOYALTY, identifiers__value="OMNI-3003")
    assert summary["id"] == reference(profile.pk)
    assert profile.snapshot["email"] == "lin@example.com"
    assert allows(profile.snapshot, "email") and not allows(profile.snapshot, "sms")
    assert set(Consent.objects.values_list("purpose", "status", "source")) == {
        ("email", "granted", "till at MAN-01"),
        ("sms", "denied", "till at MAN-01"),
    }
    assert (
        till.post("customers/lookup/", {"email": "lin@example.com"}).json()["id"] == summary["id"]
    )


@pytest.mark.parametrize(
    "body, status, detail",
    [
        ({"email": "lin@example.com"}, 400, "consents: This field is required."),
        (
            {"email": "lin@example.com", "consents": {}},
            400,
            "consents: This dictionary may not be empty.",
        ),
        (
            {"consents": {"email": "granted"}},
            400,
            "Give at least one of email, phone or loyalty_card.",
        ),
        (
            {"email": "lin@example.com", "consents": {"email": "yes"}},
            400,
            'consents.email: "yes" is not a valid choice.',
        ),
        ({"email": "lin@example.com", "consents": {"ads": "granted"}}, 400, None),
        ({"email": "null", "consents": {"email": "granted"}}, 400, None),
        ({"email": "ada@example.com", "consents": {"email": "granted"}}, 409, None),
    ],
)
def test_an_enrolment_that_cannot_be_made_changes_nothing(till, ada, body, status, detail):
    profiles = Profile.objects.count()

    response = till.post("customers/", body)

    assert response.status_code == status
    assert detail is None or response.json()["detail"] == detail
    assert response.json()["detail"]
    assert Profile.objects.count() == profiles
