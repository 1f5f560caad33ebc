"""One person, one profile: merging on login and registration, never across people."""

import pytest
from conftest import PASSWORD, log_in, make_customer
from django.contrib.auth import get_user_model

from omni_plugin.core.identifiers import IdentifierRefused, InvalidIdentifier, normalise
from omni_plugin.core.identity import attach
from omni_plugin.core.models import Event, Identifier, Merge, Profile

pytestmark = pytest.mark.django_db


def profile_of_user(user):
    return Profile.objects.get(identifiers__kind="user", identifiers__value=str(user.pk))


def visitor_profile(client):
    """The profile the browser's visitor id points to now."""
    visitor_id = client.get("/shop/").wsgi_request.omni.visitor_id
    return Profile.objects.get(identifiers__kind="visitor", identifiers__value=visitor_id)


def test_logging_in_merges_anonymous_browsing_into_the_customer_profile(
    client, product, django_capture_on_commit_callbacks
):
    customer = make_customer("ada@example.com")
    laptop = client.__class__(HTTP_USER_AGENT=client.defaults["HTTP_USER_AGENT"])
    log_in(laptop, "ada@example.com")  # the customer's profile exists from another device
    known = profile_of_user(customer)

    client.get(product.get_absolute_url())
    anonymous = visitor_profile(client)
    with django_capture_on_commit_callbacks(execute=True):  # the merge's events follow on commit
        log_in(client, "ada@example.com")

    merge = Merge.objects.get()
    assert (merge.survivor_id, merge.merged_id, merge.reason) == (known.pk, anonymous.pk, "login")
    assert visitor_profile(client).pk == known.pk
    viewed = Event.objects.get(kind="product_viewed")
    assert (viewed.profile_id, viewed.origin_profile_id) == (known.pk, anonymous.pk)
    known.refresh_from_db()
    assert known.snapshot["recent_products"] == [product.pk]
    assert known.snapshot["email"] == "ada@example.com"
    assert set(known.events.values_list("kind", flat=True)) == {"product_viewed", "user_logged_in"}


def test_first_login_turns_the_anonymous_profile_into_the_customers(client, product):
    customer = make_customer("grace@example.com")
    client.get(product.get_absolute_url())
    anonymous = visitor_profile(client)

    log_in(client, "grace@example.com")

    assert profile_of_user(customer).pk == anonymous.pk
    assert Merge.objects.count() == 0
    assert set(anonymous.identifiers.values_list("kind", flat=True)) == {"visitor", "user", "email"}


def test_registering_keeps_the_browsing_history(client, product):
    client.get(product.get_absolute_url())
    anonymous = visitor_profile(client)

    response = client.post(
        "/shop/accounts/login/",
        {
            "registration-email": "Alan@Example.com",
            "registration-password1": PASSWORD,
            "registration-password2": PASSWORD,
            "registration_submit": "1",
        },
    )

    assert response.status_code == 302, response.content[:1000]
    customer = get_user_model().objects.get(email__iexact="alan@example.com")
    profile = profile_of_user(customer)
    assert profile.pk == anonymous.pk
    kinds = set(profile.events.values_list("kind", flat=True))
    assert {"product_viewed", "user_registered", "user_logged_in"} <= kinds


def test_logging_out_starts_a_fresh_visitor_on_the_shared_computer(client, product):
    ada, bob = make_customer("ada@example.com"), make_customer("bob@example.com")
    log_in(client, "ada@example.com")
    client.get(product.get_absolute_url())
    client.get("/shop/accounts/logout/")
    log_in(client, "bob@example.com")

    assert profile_of_user(ada).pk != profile_of_user(bob).pk
    assert Merge.objects.count() == 0
    assert visitor_profile(client).pk == profile_of_user(bob).pk
    assert profile_of_user(bob).snapshot.get("recent_products") is None


def test_another_login_on_the_same_browser_switches_profile_instead_of_merging(client, product):
    ada, bob = make_customer("ada@example.com"), make_customer("bob@example.com")
    log_in(client, "ada@example.com")
    client.get(product.get_absolute_url())
    client.cookies.pop("sessionid")  # the session ended without a logout

    log_in(client, "bob@example.com")

    assert Merge.objects.count() == 0
    assert visitor_profile(client).pk == profile_of_user(bob).pk
    ada_profile = profile_of_user(ada)
    assert ada_profile.pk != profile_of_user(bob).pk
    assert ada_profile.events.filter(kind="product_viewed").count() == 1


@pytest.mark.parametrize(
    "kind, raw, expected",
    [
        ("email", "  Ada.Lovelace@Example.COM ", "ada.lovelace@example.com"),
        ("phone", "07700 900123", "+447700900123"),
        ("phone", "+44 (0)7700-900123", "+447700900123"),
        ("loyalty", " ab-1234 5678 ", "AB-12345678"),
    ],
)
def test_identifiers_are_normalised(kind, raw, expected):
    assert normalise(kind, raw) == expected


@pytest.mark.parametrize(
    "kind, junk",
    [
        ("email", "null"),
        ("email", ""),
        ("email", "anonymous"),
        ("email", "not-an-email"),
        ("phone", "0"),
        ("phone", "-1"),
        ("phone", "12"),
        ("loyalty", "0000000"),
        ("loyalty", "NULL"),
        ("pos", "undefined"),
        ("visitor", "../../etc"),
        ("user", "-1"),
    ],
)
def test_junk_identifiers_are_refused_and_change_nothing(kind, junk):
    profile = Profile.objects.create()
    with pytest.raises(InvalidIdentifier):
        attach(profile.pk, kind, junk, reason="staff")
    assert Identifier.objects.count() == 0


def test_the_block_list_can_be_extended(settings):
    settings.OMNI_BLOCKED_IDENTIFIERS = ["noreply@example.com"]
    with pytest.raises(InvalidIdentifier, match="junk value"):
        normalise("email", "NoReply@example.com")


def test_junk_shared_by_two_customers_never_merges_them():
    first, second = Profile.objects.create(), Profile.objects.create()
    for profile in (first, second):
        with pytest.raises(InvalidIdentifier):
            attach(profile.pk, "loyalty", "0", reason="pos")
    assert Merge.objects.count() == 0


def test_a_profile_holds_at_most_the_configured_number_of_emails(settings):
    settings.OMNI_IDENTIFIER_LIMITS = {"email": 2}
    profile = Profile.objects.create()
    attach(profile.pk, "email", "one@example.com", reason="staff")
    attach(profile.pk, "email", "two@example.com", reason="staff")
    with pytest.raises(IdentifierRefused, match="already has 2 email"):
        attach(profile.pk, "email", "three@example.com", reason="staff")
    assert profile.identifiers.filter(kind="email").count() == 2


def test_a_new_browser_beyond_the_limit_replaces_the_oldest(settings):
    settings.OMNI_IDENTIFIER_LIMITS = {"visitor": 2}
    profile = Profile.objects.create()
    for visitor_id in ("a" * 32, "b" * 32, "c" * 32):
        attach(profile.pk, "visitor", visitor_id, reason="login")
    assert sorted(profile.identifiers.values_list("value", flat=True)) == ["b" * 32, "c" * 32]


def test_an_identifier_known_elsewhere_merges_the_two_profiles():
    older, newer = Profile.objects.create(), Profile.objects.create()
    attach(older.pk, "loyalty", "CARD-1001", reason="pos")
    survivor = attach(newer.pk, "loyalty", "card-1001", reason="pos")
    assert survivor == older.pk
    assert Merge.objects.get().merged_id == newer.pk


def test_two_customers_with_accounts_are_never_merged():
    ada, bob = make_customer("ada@example.com"), make_customer("bob@example.com")
    ada_profile, bob_profile = Profile.objects.create(), Profile.objects.create()
    attach(ada_profile.pk, "user", ada.pk, reason="login")
    attach(bob_profile.pk, "user", bob.pk, reason="login")
    attach(ada_profile.pk, "phone", "07700 900123", reason="staff")

    holder = attach(bob_profile.pk, "phone", "07700900123", reason="staff")

    assert holder == ada_profile.pk
    assert Merge.objects.count() == 0
    assert not bob_profile.identifiers.filter(kind="phone").exists()
