"""The geo app's settings: the GeoIP2 database, trusted proxies and CDN headers."""

import ipaddress
import os

from omni_plugin.conf import Setting, register_settings, str_list


def _optional_path(value):
    if value is not None and (not isinstance(value, (str, os.PathLike)) or not str(value)):
        return f"must be None or the path of a file, not {value!r}"


def _networks(value):
    if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
        return f"must be a list of networks such as '10.0.0.0/8', not {value!r}"
    for item in value:
        try:
            ipaddress.ip_network(item)
        except (TypeError, ValueError):
            return (
                f"holds {item!r}, which is not a network: write it as an address with its "
                "prefix length, such as '10.0.0.0/8' or '2001:db8::/32'"
            )


def _optional_ip_address(value):
    if value is None:
        return None
    try:
        ipaddress.ip_address(value)
    except (TypeError, ValueError):
        return f"must be None or an IP address such as '81.2.69.160', not {value!r}"


register_settings(
    {
        "GEOIP_PATH": Setting(
            default=None,
            doc="Path of a GeoIP2 or GeoLite2 City (or Country) database; None leaves every "
            "visitor's location unknown.",
            validate=_optional_path,
        ),
        "TRUSTED_PROXIES": Setting(
            default=(),
            doc="Networks of the proxies and CDN nodes in front of the shop, whose "
            "X-Forwarded-For and country headers are believed.",
            validate=_networks,
        ),
        "CDN_COUNTRY_HEADERS": Setting(
            default=(
                "CF-IPCountry",
                "CloudFront-Viewer-Country",
                "Fastly-Geo-Country",
                "X-Akamai-Edgescape",
            ),
            doc="Request headers in which a trusted CDN sends the visitor's country; they win "
            "over the GeoIP2 database.",
            validate=str_list,
        ),
        "DEBUG_LOCATION": Setting(
            default=None,
            doc="An IP address every request pretends to come from while DEBUG is True, to "
            "try the shop as a visitor from elsewhere.",
            validate=_optional_ip_address,
        ),
    }
)
