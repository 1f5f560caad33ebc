"""The visitor's country as a CDN in front of the shop tells it, in a request header."""

import re

from omni_plugin.conf import omni_settings

from .client_ip import peer_is_trusted

COUNTRY_CODE = re.compile(r"[A-Z]{2}")
# Codes CDNs send when they do not know: unknown, Tor, anonymous proxy, satellite.
NOT_A_COUNTRY = {"XX", "T1", "A1", "A2", "O1", "EU", "AP"}


def _country_of(value):
    """A two-letter code, or Akamai's Edgescape list ("georegion=246,country_code=GB,...")."""
    for part in value.split(","):
        key, _, field = part.strip().partition("=")
        code = (field if field else key).strip().upper()
        if (field and key.strip().lower() != "country_code") or not COUNTRY_CODE.fullmatch(code):
            continue
        return "" if code in NOT_A_COUNTRY else code
    return ""


def cdn_country(request):
    """The country from the first configured CDN header, believed only from a trusted peer."""
    headers = [request.headers.get(name) for name in omni_settings.CDN_COUNTRY_HEADERS]
    present = [value for value in headers if value]
    if not present or not peer_is_trusted(request):
        return ""
    for value in present:
        country = _country_of(value)
        if country:
            return country
    return ""
