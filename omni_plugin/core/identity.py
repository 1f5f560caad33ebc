"""Who is who: identifiers point to profiles, and knowing more joins profiles together.

The rule that keeps a shared device from gluing two people together: two profiles are
merged only when at most one of them belongs to a user account. A login as another user
on the same browser switches the browser to that user's profile instead.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from omni_plugin.conf import SETTINGS, omni_settings
from omni_plugin.core import profiles
from omni_plugin.core.models import Identifier, Merge, Profile

from .events import update_snapshot
from .identifiers import IdentifierRefused, normalise
from .merging import identity_keys, merge

Kind = Identifier.Kind


def profile_holding(kind, value):
    return (
        Identifier.objects.filter(kind=kind, value=value)
        .values_list("profile_id", flat=True)
        .first()
    )


def user_of(profile_id):
    return (
        Identifier.objects.filter(profile_id=profile_id, kind=Kind.USER)
        .values_list("value", flat=True)
        .first()
    )


def may_merge(profile_a, profile_b):
    users = {user_of(profile_a), user_of(profile_b)} - {None}
    return len(users) <= 1


def survivor_of(profile_a, profile_b):
    """The profile that stays: the one with a user account, else the older one."""
    if user_of(profile_b) and not user_of(profile_a):
        return profile_b, profile_a
    if user_of(profile_a) and not user_of(profile_b):
        return profile_a, profile_b
    return (profile_a, profile_b) if profile_a < profile_b else (profile_b, profile_a)


def attach(profile_id, kind, raw_value, *, reason):
    """Make the value point to the profile, merging when another profile holds it.

    Returns the profile that holds the value afterwards: the survivor of a merge, or the
    other profile when the two belong to different users and may not be merged.
    Raises ``IdentifierRefused`` for junk values and values over the kind's limit.
    """
    value = normalise(kind, raw_value)
    with transaction.atomic():
        holder = profile_holding(kind, value)
        if holder == profile_id:
            return profile_id
        if holder is None:
            _make_room(profile_id, kind)
            Identifier.objects.create(profile_id=profile_id, kind=kind, value=value)
            _refresh_identity(profile_id)
            return profile_id
        if not may_merge(profile_id, holder):
            return holder
        survivor, merged = survivor_of(profile_id, holder)
        merge(survivor, merged, reason)
        _refresh_identity(survivor)
        return survivor


def point_visitor_to(visitor_id, profile_id):
    """Move the browser's visitor id to ``profile_id`` (a switch, not a merge)."""
    with transaction.atomic():
        updated = Identifier.objects.filter(kind=Kind.VISITOR, value=visitor_id).update(
            profile_id=profile_id
        )
        if not updated:
            _make_room(profile_id, Kind.VISITOR)
            Identifier.objects.create(profile_id=profile_id, kind=Kind.VISITOR, value=visitor_id)
    profiles.forget_visitor(visitor_id)


def identify_user(request, user, reason):
    """After a login or a registration: the browser's profile and the user's become one."""
    omni = getattr(request, "omni", None)
    if omni is None or not omni.trackable:
        return None
    omni.flush()  # what happened before the login belongs to whoever browsed then
    with transaction.atomic():
        user_profile = profile_holding(Kind.USER, str(user.pk))
        browser_profile = omni.profile.id if omni.profile else None
        if browser_profile and user_of(browser_profile) not in (None, str(user.pk)):
            browser_profile = None  # someone else's: switch to this user's profile
        if user_profile is None:
            user_profile = browser_profile or Profile.objects.create().pk
            Identifier.objects.create(profile_id=user_profile, kind=Kind.USER, value=str(user.pk))
        elif browser_profile and browser_profile != user_profile:
            merge(user_profile, browser_profile, reason)
        point_visitor_to(omni.visitor_id, user_profile)
        if user.email:
            try:
                user_profile = attach(user_profile, Kind.EMAIL, user.email, reason=reason)
            except IdentifierRefused:
                pass  # the account stays identified by the user; the email is optional
        _refresh_identity(user_profile)
    omni.use_profile(profiles.profile_for_visitor(omni.visitor_id))
    return user_profile


def account_profile(user_id):
    """The profile of the user account. An account without one gets it as a login would
    make it: with the account's email, unless another profile holds that address, so that
    messages reach the account's owner."""
    holder = profile_holding(Kind.USER, str(user_id))
    if holder is not None:
        return holder
    email = get_user_model().objects.filter(pk=user_id).values_list("email", flat=True).first()
    with transaction.atomic():
        holder = Profile.objects.create().pk
        Identifier.objects.create(profile_id=holder, kind=Kind.USER, value=str(user_id))
        if email and _free(Kind.EMAIL, email):
            attach(holder, Kind.EMAIL, email, reason=Merge.Reason.LOGIN)
        _refresh_identity(holder)
    return holder


def _free(kind, raw_value):
    try:
        return profile_holding(kind, normalise(kind, raw_value)) is None
    except IdentifierRefused:
        return False


def _make_room(profile_id, kind):
    limit = omni_settings.IDENTIFIER_LIMITS.get(kind, SETTINGS["IDENTIFIER_LIMITS"].default[kind])
    held = Identifier.objects.filter(profile_id=profile_id, kind=kind).order_by("created_at", "id")
    surplus = held.count() - limit + 1
    if surplus <= 0:
        return
    if kind != Kind.VISITOR:
        raise IdentifierRefused(
            f"This profile already has {limit} {Kind(kind).label.lower()} identifiers, the most "
            "OMNI_IDENTIFIER_LIMITS allows."
        )
    # A browser id is only worth keeping while the browser is in use: the oldest goes.
    Identifier.objects.filter(pk__in=list(held.values_list("pk", flat=True)[:surplus])).delete()


def _refresh_identity(profile_id):
    keys = identity_keys(profile_id)
    update_snapshot(profile_id, lambda snapshot: snapshot.update(keys))
    profiles.forget(profile_id)
