"""Finding the profile a command is about: by its id, an email address or a user account."""

from django.core.management.base import CommandError

from omni_plugin.core.models import Identifier, Profile

from ..identifiers import InvalidIdentifier, normalise
from ..identity import profile_holding
from ..merging import root_of

Kind = Identifier.Kind


def add_profile_arguments(parser):
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("profile_id", nargs="?", type=int, help="The profile's id.")
    which.add_argument("--email", help="The email address the profile holds.")
    which.add_argument("--user", type=int, help="The id of the user account the profile holds.")


def profile_from_options(options):
    """The profile the options name, followed to the profile it was merged into."""
    if options["profile_id"] is not None:
        profile_id = options["profile_id"]
        if not Profile.objects.filter(pk=profile_id).exists():
            raise CommandError(f"There is no profile #{profile_id}.")
    elif options["email"] is not None:
        profile_id = _holder(Kind.EMAIL, options["email"], "email address")
    else:
        profile_id = _holder(Kind.USER, options["user"], "user account")
    return Profile.objects.get(pk=root_of(profile_id))


def _holder(kind, raw_value, what):
    try:
        value = normalise(kind, raw_value)
    except InvalidIdentifier as error:
        raise CommandError(str(error)) from None
    profile_id = profile_holding(kind, value)
    if profile_id is None:
        raise CommandError(f"No profile holds the {what} {value!r}.")
    return profile_id
