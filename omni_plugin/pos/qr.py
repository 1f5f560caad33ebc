"""The QR code a customer shows at a till: a signed, short-lived, single-use token.

The token holds the profile's id and a random nonce, signed with the site's secret key
(``django.core.signing``, with a salt of its own), so it can be neither guessed nor made
up. It is refused after ``OMNI_POS_QR_LIFETIME`` seconds, and its nonce is remembered
when a till accepts it, so the same code is never accepted twice.
"""

import secrets
from datetime import timedelta

import segno
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omni_plugin.pos.models import UsedQrNonce

from ..conf import omni_settings

SALT = "omni_plugin.pos.qr"


class QrRefused(ValueError):
    """The code cannot identify anyone; the message says why, in a sentence."""


def issue_token(profile_id):
    return signing.dumps({"p": profile_id, "n": secrets.token_urlsafe(12)}, salt=SALT)


def qr_svg(token):
    """The token as a QR code, an inline ``<svg>`` element."""
    return segno.make(token, error="m").svg_inline(scale=5, title=_("Your store code"))


def redeem(token):
    """The id of the profile the token names, accepting it once; ``QrRefused`` otherwise."""
    lifetime = omni_settings.POS_QR_LIFETIME
    try:
        payload = signing.loads(token, salt=SALT, max_age=lifetime)
    except signing.SignatureExpired:
        raise QrRefused(
            _("This QR code has expired: the customer can show a fresh one from their account.")
        ) from None
    except signing.BadSignature:
        raise QrRefused(_("This is not a QR code from the shop's account pages.")) from None
    now = timezone.now()
    UsedQrNonce.objects.filter(used_at__lt=now - timedelta(seconds=lifetime)).delete()
    try:
        with transaction.atomic():
            UsedQrNonce.objects.create(nonce=payload["n"], used_at=now)
    except IntegrityError:
        raise QrRefused(
            _("This QR code was used already: the customer can show a fresh one.")
        ) from None
    return payload["p"]
