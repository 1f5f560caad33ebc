"""Validators for a store's fields."""

import functools
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

validate_store_code = RegexValidator(
    r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$",
    _("Use letters, digits and single hyphens, such as MAN-01."),
)

validate_country_code = RegexValidator(
    r"^[A-Za-z]{2}$", _("Enter the two-letter ISO 3166-1 code, such as GB.")
)


@functools.cache
def known_time_zones():
    """The IANA time zone names this server has data for."""
    # "localtime" is the server's own zone file, not a name the IANA database defines.
    return frozenset(zoneinfo.available_timezones() - {"localtime"})


def validate_time_zone(name):
    """Accept an IANA time zone name, such as Europe/London."""
    if name not in known_time_zones():
        raise ValidationError(
            _("Unknown time zone “%(name)s”: enter an IANA name such as Europe/London."),
            code="unknown_time_zone",
            params={"name": name},
        )
