"""Finding the customer a till means: by loyalty card, email, phone or QR code, or by the
reference the API gave for them earlier.

A reference is the profile's id, signed, so a till cannot name a customer it was never
given. Profiles merged since are followed to the one they ended up in.
"""

from django.core import signing
from django.utils.translation import gettext as _

from omni_plugin.core.identifiers import IdentifierRefused, normalise
from omni_plugin.core.identity import profile_holding
from omni_plugin.core.merging import root_of
from omni_plugin.core.models import Identifier, Profile

from . import qr

Kind = Identifier.Kind
SALT = "omni_plugin.pos.customer"
#: How a till may identify a customer, and the identifier kind each is.
IDENTIFICATIONS = {"loyalty_card": Kind.LOYALTY, "email": Kind.EMAIL, "phone": Kind.PHONE}


class CustomerNotFound(LookupError):
    """Nobody matches; the message says so, in a sentence."""


class IdentificationRefused(ValueError):
    """The identification is not usable (a junk value, a bad QR code); the message says why."""


def reference(profile_id):
    return signing.Signer(salt=SALT).sign(str(profile_id))


def profile_id_of_reference(value):
    """The profile id a reference holds; ``IdentificationRefused`` for a reference this
    API did not give."""
    try:
        return int(signing.Signer(salt=SALT).unsign(value))
    except (signing.BadSignature, ValueError):
        raise IdentificationRefused(
            _("%(value)r is not a customer reference from this API.") % {"value": value}
        ) from None


def identify(how, value):
    """The profile ``how`` (``loyalty_card``, ``email``, ``phone`` or ``qr``) finds."""
    if how == "qr":
        try:
            return _live(qr.redeem(value))
        except qr.QrRefused as refused:
            raise IdentificationRefused(str(refused)) from None
    kind = IDENTIFICATIONS[how]
    try:
        normalised = normalise(kind, value)
    except IdentifierRefused as refused:
        raise IdentificationRefused(str(refused)) from None
    holder = profile_holding(kind, normalised)
    if holder is None:
        raise CustomerNotFound(
            _("No customer has the %(kind)s %(value)s.")
            % {"kind": Kind(kind).label.lower(), "value": normalised}
        )
    return root_of(holder)


def live_roots(profile_ids):
    """``{profile id: the profile it ended up in}``, leaving out profiles gone or erased:
    a query per level of merges."""
    roots = {pid: pid for pid in profile_ids}
    while True:
        rows = Profile.objects.filter(pk__in=set(roots.values())).values_list(
            "pk", "merged_into_id", "erased_at"
        )
        moved = {pk: merged_into for pk, merged_into, _ in rows if merged_into}
        live = {pk for pk, merged_into, erased_at in rows if not merged_into and not erased_at}
        if not moved:
            return {pid: root for pid, root in roots.items() if root in live}
        roots = {pid: moved.get(root, root) for pid, root in roots.items()}


def _live(profile_id):
    root = live_roots([profile_id]).get(profile_id)
    if root is None:
        raise CustomerNotFound(_("This customer is no longer known to the shop."))
    return root
