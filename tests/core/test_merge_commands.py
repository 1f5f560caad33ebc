"""The management commands: export, erasure and undoing a merge."""

import json
import re
import uuid
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from omni_plugin.core.consent import allows, record_consent
from omni_plugin.core.events import record
from omni_plugin.core.gdpr import erase_profile
from omni_plugin.core.identity import attach
from omni_plugin.core.models import Consent, Event, Identifier, Merge, Profile

pytestmark = pytest.mark.django_db

VISITOR = uuid.uuid4().hex


def run(command, *args, **options):
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def identifiers_of(profile_id):
    return set(Identifier.objects.filter(profile_id=profile_id).values_list("kind", "value"))


def state():
    """Everything a command could change, to show that a refused one changed nothing."""
    return (
        sorted(Identifier.objects.values_list("profile_id", "kind", "value")),
        sorted(Event.objects.values_list("id", "profile_id", "order_number")),
        sorted(Profile.objects.values_list("id", "merged_into_id", "erased_at")),
        Consent.objects.count(),
        sorted(Merge.objects.values_list("id", "undone_at")),
    )


@pytest.fixture
def ann(django_capture_on_commit_callbacks):
    """Ann's account (user 42) and the browser merged into it when she logged in."""
    account = Profile.objects.create()
    attach(account.pk, "user", 42, reason=Merge.Reason.REGISTRATION)
    attach(account.pk, "email", "ann@example.com", reason=Merge.Reason.REGISTRATION)
    record("order_placed", profile=account.pk, order_number="100023", data={"lines": []})
    browser = Profile.objects.create()
    attach(browser.pk, "visitor", VISITOR, reason=Merge.Reason.LOGIN)
    record("product_viewed", profile=browser.pk, product=None)
    record("user_search", profile=browser.pk, data={"query": "mugs"})
    record_consent(browser.pk, "personalisation", "granted", source="cookie banner")
    with django_capture_on_commit_callbacks(execute=True):
        attach(browser.pk, "email", "ann@example.com", reason=Merge.Reason.LOGIN)
    return SimpleNamespace(account=account.pk, browser=browser.pk, merge=Merge.objects.get())


@pytest.mark.parametrize(
    "profile, options",
    [
        ("account", {}),
        ("browser", {}),
        (None, {"email": " Ann@Example.com "}),
        (None, {"user": 42}),
    ],
    ids=["id", "merged-away id", "email", "user"],
)
def test_export_finds_the_profile_by_id_email_or_user(ann, profile, options):
    args = [getattr(ann, profile)] if profile else []
    out, _ = run("omni_export_profile", *args, **options)

    export = json.loads(out)
    assert export["profile"]["id"] == ann.account
    assert ("visitor", VISITOR) in {(i["kind"], i["value"]) for i in export["identifiers"]}
    kinds = {event["kind"] for event in export["events"]}
    assert {"order_placed", "product_viewed", "user_search"} <= kinds


def test_export_writes_to_a_file(ann, tmp_path):
    target = tmp_path / "ann.json"
    _, err = run("omni_export_profile", ann.account, output=str(target))

    assert json.loads(target.read_text())["profile"]["id"] == ann.account
    assert str(target) in err


@pytest.mark.parametrize(
    "args, options, message",
    [
        ((999,), {}, "There is no profile #999."),
        ((), {"email": "nobody@example.com"}, "No profile holds the email address 'nobody@"),
        ((), {"email": "null"}, "'null' is a junk value"),
        ((), {"user": 7}, "No profile holds the user account '7'."),
        ((), {}, "one of the arguments profile_id --email --user is required"),
    ],
)
@pytest.mark.parametrize(
    "command, confirmation",
    [("omni_export_profile", {}), ("omni_erase_profile", {"interactive": False})],
)
def test_bad_input_is_refused_with_a_clear_message(
    ann, command, confirmation, args, options, message
):
    before = state()
    with pytest.raises(CommandError, match=re.escape(message)):
        run(command, *args, **confirmation, **options)
    assert state() == before


def test_export_to_an_unwritable_file_is_refused(ann, tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        run("omni_export_profile", ann.account, output=str(tmp_path / "missing" / "ann.json"))


def test_erase_with_yes_erases_the_whole_person(ann):
    out, _ = run("omni_erase_profile", "--email", "ann@example.com", "--yes")

    assert f"Erased profile #{ann.account}, #{ann.browser}" in out
    assert not Identifier.objects.exists()
    assert not Event.objects.exclude(data={}).exists()
    assert Profile.objects.filter(erased_at__isnull=True).count() == 0


def test_erase_asks_first_and_a_no_changes_nothing(ann, monkeypatch):
    prompts = []
    monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or "no")
    before = state()

    out, _ = run("omni_erase_profile", ann.account)

    assert "ann@example.com" in prompts[0] and "cannot be undone" in prompts[0]
    assert "Nothing was erased." in out
    assert state() == before


def test_erase_goes_ahead_on_a_yes(ann, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    run("omni_erase_profile", ann.account)
    assert Profile.objects.get(pk=ann.account).erased_at is not None


def test_undo_gives_the_merged_profile_back_its_identifiers_and_events(ann):
    out, _ = run("omni_undo_merge", ann.merge.pk)

    assert identifiers_of(ann.browser) == {("visitor", VISITOR)}
    assert identifiers_of(ann.account) == {("user", "42"), ("email", "ann@example.com")}
    browser_events = Event.objects.filter(profile_id=ann.browser)
    assert set(browser_events.values_list("kind", flat=True)) == {
        "product_viewed",
        "user_search",
        "consent_recorded",
    }
    assert allows(Profile.objects.get(pk=ann.browser).snapshot, "personalisation") is True
    assert Profile.objects.get(pk=ann.browser).merged_into_id is None
    assert f"Undid merge #{ann.merge.pk}" in out
    assert "3 events and 1 consents moved back" in out
    assert f"moved back: Visitor id: {VISITOR}" in out


def test_a_merge_is_undone_only_once(ann):
    run("omni_undo_merge", ann.merge.pk)
    before = state()

    with pytest.raises(CommandError, match=f"Merge #{ann.merge.pk} was already undone on"):
        run("omni_undo_merge", ann.merge.pk)
    assert state() == before


def test_an_unknown_merge_is_refused(ann):
    before = state()
    with pytest.raises(CommandError, match="There is no merge #999."):
        run("omni_undo_merge", 999)
    assert state() == before


def test_a_merge_of_erased_profiles_stays(ann):
    erase_profile(ann.account)
    before = state()

    with pytest.raises(CommandError, match=f"profile #{ann.browser} was erased"):
        run("omni_undo_merge", ann.merge.pk)
    assert state() == before
