import pytest

from omni_plugin.core.consent import InvalidConsent, allows, record_consent
from omni_plugin.core.events import record
from omni_plugin.core.identity import attach
from omni_plugin.core.models import Consent, Event, Merge, Profile

pytestmark = pytest.mark.django_db

MESSAGING = ["email", "push", "sms"]
PERSONALISING = ["personalisation", "profiling"]


def snapshot_of(profile_id):
    return Profile.objects.get(pk=profile_id).snapshot


@pytest.fixture
def profile():
    profile = Profile.objects.create()
    record("product_viewed", profile=profile)
    return profile


def test_a_decision_is_kept_as_a_record_and_in_the_snapshot(profile):
    consent = record_consent(profile.pk, "email", "granted", source="checkout")

    assert (consent.purpose, consent.status, consent.source) == ("email", "granted", "checkout")
    assert Consent.objects.get(profile=profile) == consent
    assert snapshot_of(profile.pk)["consents"]["email"] == {
        "status": "granted",
        "source": "checkout",
        "at": consent.recorded_at.isoformat(),
    }
    event = Event.objects.get(profile=profile, kind="consent_recorded")
    assert event.data == {"purpose": "email", "status": "granted", "source": "checkout"}


def test_granting_allows_and_withdrawing_stops_again(profile):
    record_consent(profile.pk, "push", "granted", source="opt-in prompt")
    assert allows(snapshot_of(profile.pk), "push") is True

    record_consent(profile.pk, "push", "withdrawn", source="account page")
    assert allows(snapshot_of(profile.pk), "push") is False
    assert Consent.objects.filter(profile=profile).count() == 2


def test_a_denial_wins_over_personalisation_by_default(profile, settings):
    settings.OMNI_PERSONALISATION_BY_DEFAULT = True
    record_consent(profile.pk, "profiling", "denied", source="cookie banner")
    assert allows(snapshot_of(profile.pk), "profiling") is False
    assert allows(snapshot_of(profile.pk), "personalisation") is True


@pytest.mark.parametrize("by_default", [True, False])
@pytest.mark.parametrize("purpose", PERSONALISING)
def test_undecided_personalisation_follows_the_setting(settings, purpose, by_default):
    settings.OMNI_PERSONALISATION_BY_DEFAULT = by_default
    assert allows({}, purpose) is by_default
    assert allows(None, purpose) is by_default


@pytest.mark.parametrize("purpose", MESSAGING)
def test_messaging_waits_for_consent_whatever_the_setting(settings, purpose):
    settings.OMNI_PERSONALISATION_BY_DEFAULT = True
    assert allows({"consents": {}}, purpose) is False


def test_asking_reads_nothing_from_the_database(profile, django_assert_num_queries):
    record_consent(profile.pk, "sms", "granted", source="till")
    snapshot = snapshot_of(profile.pk)
    with django_assert_num_queries(0):
        assert [allows(snapshot, purpose) for purpose in MESSAGING] == [False, False, True]


def test_asking_about_an_unknown_purpose_is_an_error():
    with pytest.raises(InvalidConsent, match="'telepathy' is not a consent purpose"):
        allows({}, "telepathy")


@pytest.mark.parametrize(
    "purpose, status, source, message",
    [
        ("telepathy", "granted", "checkout", "'telepathy' is not a consent purpose"),
        ("email", "maybe", "checkout", "'maybe' is not a consent status"),
        ("email", "granted", "", "source says where it was given"),
        ("email", "granted", "x" * 65, "in 1 to 64 characters"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(profile, purpose, status, source, message):
    before = snapshot_of(profile.pk)
    with pytest.raises(InvalidConsent, match=message) as refused:
        record_consent(profile.pk, purpose, status, source=source)

    assert isinstance(refused.value, ValueError)
    assert str(refused.value).endswith(".")
    assert not Consent.objects.exists()
    assert not Event.objects.filter(kind="consent_recorded").exists()
    assert snapshot_of(profile.pk) == before


def test_an_unknown_profile_is_refused():
    with pytest.raises(InvalidConsent, match="There is no profile #999"):
        record_consent(999, "email", "granted", source="checkout")
    assert not Consent.objects.exists()


def test_an_erased_profile_takes_no_new_consent(profile):
    Profile.objects.filter(pk=profile.pk).update(erased_at="2025-01-01T00:00:00Z")
    with pytest.raises(InvalidConsent):
        record_consent(profile.pk, "email", "granted", source="checkout")
    assert not Consent.objects.exists()


def test_a_consent_given_before_logging_in_follows_the_customer(
    django_capture_on_commit_callbacks,
):
    account = Profile.objects.create()
    attach(account.pk, "email", "ann@example.com", reason=Merge.Reason.REGISTRATION)
    browser = Profile.objects.create()
    record_consent(browser.pk, "personalisation", "granted", source="cookie banner")

    with django_capture_on_commit_callbacks(execute=True):
        survivor = attach(browser.pk, "email", "ann@example.com", reason=Merge.Reason.LOGIN)

    assert survivor == account.pk
    assert allows(snapshot_of(account.pk), "personalisation") is True
    assert Consent.objects.get().profile_id == account.pk
