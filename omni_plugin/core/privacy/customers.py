"""Which profile belongs to the logged-in customer: the one holding their user account."""

from omni_plugin.core import identity
from omni_plugin.core.models import Identifier, Merge, Profile

Kind = Identifier.Kind


def profile_id_of(user):
    """The id of the profile holding the user's account, or None."""
    return identity.profile_holding(Kind.USER, str(user.pk))


def claim_profile_id(request):
    """The user's profile; one that has none yet takes this browser's profile as theirs."""
    profile_id = profile_id_of(request.user)
    if profile_id is not None:
        return profile_id
    browser_profile_id = _unclaimed_browser_profile_id(request)
    return identity.attach(
        browser_profile_id, Kind.USER, request.user.pk, reason=Merge.Reason.LOGIN
    )


def _unclaimed_browser_profile_id(request):
    omni = getattr(request, "omni", None)
    if omni is None:  # the plugin is switched off: there is no browser profile to take
        return Profile.objects.create().pk
    if identity.user_of(omni.ensure_profile().id) is not None:
        omni.start_new_visitor()  # the browser's profile is another account's
    return omni.ensure_profile().id
