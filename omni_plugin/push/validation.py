"""What a campaign must be before it can be saved: a safe link, known places, a push that fits."""

from urllib.parse import urlsplit

from babel import Locale
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from omni_plugin.stores.radius import near_problem

from .payloads import PayloadTooLarge, campaign_message

#: ISO 3166-1 alpha-2 codes, as the CLDR data Oscar already depends on knows them.
COUNTRY_CODES = frozenset(
    code for code in Locale("en").territories if len(code) == 2 and code.isalpha()
)


def validate_campaign(campaign):
    """Raise a ``ValidationError`` naming each field that is wrong; normalise the countries."""
    errors = {}
    for field, check in (
        ("url", _url_error),
        ("countries", _countries_error),
        ("near_radius_km", _near_error),
        ("quiet_hours_end", _quiet_hours_error),
    ):
        if message := check(campaign):
            errors[field] = message
    if not errors and campaign.title and campaign.body:
        errors.update(_size_errors(campaign))
    if errors:
        raise ValidationError(errors)
    campaign.countries = ", ".join(country_codes(campaign.countries))


def country_codes(text):
    return [code.strip().upper() for code in (text or "").split(",") if code.strip()]


def _url_error(campaign):
    url = campaign.url or ""
    if url.startswith("/") and not url.startswith("//"):
        return None
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.netloc:
        return None
    return _("Enter a path on the shop (/offers/) or a full https:// address.")


def _countries_error(campaign):
    unknown = [code for code in country_codes(campaign.countries) if code not in COUNTRY_CODES]
    if unknown:
        return _("Not ISO country codes: %(codes)s. Use two letters, e.g. GB, IE.") % {
            "codes": ", ".join(unknown)
        }
    return None


def _near_error(campaign):
    return near_problem(
        campaign.near_store_id,
        campaign.near_latitude,
        campaign.near_longitude,
        campaign.near_radius_km,
    )


def _quiet_hours_error(campaign):
    start, end = campaign.quiet_hours_start, campaign.quiet_hours_end
    if (start is None) != (end is None):
        return _("Give both quiet hours or neither.")
    if start is not None and start == end:
        return _("Quiet hours must end at another hour than they start.")
    return None


def _size_errors(campaign):
    try:
        campaign_message(campaign).check_size()
    except PayloadTooLarge as error:
        return {"body": str(error)}
    return {}
