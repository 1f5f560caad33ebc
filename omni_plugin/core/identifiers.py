"""Normalising and vetting identifier values before they may point to a profile.

Junk values (``null``, ``0``, ``anonymous``, ...) are what tills, forms and scripts send
when they have nothing; accepting them would glue strangers into one profile.
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from omni_plugin.conf import omni_settings
from omni_plugin.core.models import Identifier

Kind = Identifier.Kind

BLOCKED_VALUES = frozenset(
    {
        "",
        "null",
        "none",
        "nil",
        "undefined",
        "nan",
        "0",
        "-1",
        "anonymous",
        "unknown",
        "guest",
        "n/a",
        "na",
        "test",
        "xxx",
        "default",
    }
)
VISITOR_ID = re.compile(r"^[0-9a-f]{32}$")
CARD_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,63}$")
REPEATED_CHARACTER = re.compile(r"^(.)\1*$")


class IdentifierRefused(ValueError):
    """The value may not point to the profile; the message says why, in one sentence."""


class InvalidIdentifier(IdentifierRefused):
    """The value cannot identify anyone: junk, or not of its kind's form."""


def normalise(kind, raw_value):
    """The canonical form of ``raw_value`` for ``kind``, or ``InvalidIdentifier``."""
    value = str(raw_value).strip() if raw_value is not None else ""
    blocked = BLOCKED_VALUES | {v.lower() for v in omni_settings.BLOCKED_IDENTIFIERS}
    if value.lower() in blocked:
        raise InvalidIdentifier(f"{value!r} is a junk value, not a {Kind(kind).label}.")
    return NORMALISERS[kind](value)


def _visitor(value):
    if not VISITOR_ID.match(value):
        raise InvalidIdentifier("A visitor id is 32 lower-case hexadecimal characters.")
    return value


def _user(value):
    if not value.isdigit() or int(value) <= 0:
        raise InvalidIdentifier(f"{value!r} is not a user's primary key.")
    return str(int(value))


def _email(value):
    value = value.lower()
    try:
        validate_email(value)
    except ValidationError:
        raise InvalidIdentifier(f"{value!r} is not a valid email address.") from None
    return value


def _phone(value):
    try:
        number = phonenumbers.parse(value, omni_settings.PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise InvalidIdentifier(f"{value!r} is not a phone number.") from None
    # The number's shape, not whether its range is allocated today: range data goes stale.
    if not phonenumbers.is_possible_number(number):
        raise InvalidIdentifier(f"{value!r} is not a valid phone number.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _card(value):
    value = value.upper().replace(" ", "")
    if not CARD_NUMBER.match(value):
        raise InvalidIdentifier(
            f"{value!r} is not a card or customer number (3 to 64 letters, digits or dashes)."
        )
    if REPEATED_CHARACTER.match(value.replace("-", "")):
        raise InvalidIdentifier(f"{value!r} repeats one character: a junk value.")
    return value


NORMALISERS = {
    Kind.VISITOR: _visitor,
    Kind.USER: _user,
    Kind.EMAIL: _email,
    Kind.PHONE: _phone,
    Kind.LOYALTY: _card,
    Kind.POS: _card,
}
