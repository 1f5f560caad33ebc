"""Which URLs a push subscription may name: the browsers' own push services, and no other.

The server posts every push to the subscription's endpoint, so an endpoint is accepted
only when its host is a known push service (or one ``OMNI_PUSH_EXTRA_SERVICE_HOSTS``
adds, such as a local push service in tests). The rule is an allowlist of host names:
nothing is resolved through DNS, and IP addresses are never accepted.
"""

import ipaddress
from urllib.parse import urlsplit

from omni_plugin.conf import omni_settings

#: Host names of push services, exactly.
KNOWN_HOSTS = frozenset(
    {
        "fcm.googleapis.com",  # Chrome and most Chromium browsers (Firebase Cloud Messaging)
        "updates.push.services.mozilla.com",  # Firefox (Mozilla autopush)
    }
)
#: Domains whose every subdomain is a push service.
KNOWN_DOMAINS = (
    "push.services.mozilla.com",  # Mozilla autopush
    "push.apple.com",  # Safari: web.push.apple.com
    "notify.windows.com",  # Edge on Windows (WNS): wns2-par02p.notify.windows.com, ...
)
SERVICE_NAMES = "FCM, Mozilla, Apple or Windows"
HTTPS_PORT = 443


class RefusedEndpoint(ValueError):
    """The endpoint is not a URL of a push service; the message says why."""


def check_endpoint(url):
    """Raise ``RefusedEndpoint`` unless ``url`` is an https URL of a known push service."""
    if any(character.isspace() or not character.isprintable() for character in url):
        raise RefusedEndpoint("The endpoint contains spaces or control characters.")
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed IPv6 bracket
        raise RefusedEndpoint(f"The endpoint {url!r} is not a URL.") from None
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise RefusedEndpoint(f"The endpoint {url!r} is not an https:// URL.")
    if "@" in parts.netloc:
        raise RefusedEndpoint("The endpoint must not hold a user name or password.")
    host = parts.hostname
    if not host:
        raise RefusedEndpoint(f"The endpoint {url!r} names no host.")
    try:
        port = parts.port
    except ValueError:
        raise RefusedEndpoint(f"The endpoint {url!r} has an invalid port.") from None
    if host in extra_hosts():
        return
    _refuse_ip_address(host)
    if parts.scheme != "https":
        raise RefusedEndpoint("Push services are reached over https://, not http://.")
    if port not in (None, HTTPS_PORT):
        raise RefusedEndpoint(f"Push services use the https port 443, not {port}.")
    if not is_known_service(host):
        raise RefusedEndpoint(f"{host!r} is not a push service: {SERVICE_NAMES} expected.")


def is_known_service(host):
    return host in KNOWN_HOSTS or host.endswith(tuple(f".{domain}" for domain in KNOWN_DOMAINS))


def extra_hosts():
    return {host.lower() for host in omni_settings.PUSH_EXTRA_SERVICE_HOSTS}


def _refuse_ip_address(host):
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return
    address = getattr(address, "ipv4_mapped", None) or address
    for kind, matches in (
        ("a loopback", address.is_loopback),
        ("a link-local", address.is_link_local),
        ("a private", address.is_private),
    ):
        if matches:
            raise RefusedEndpoint(f"The endpoint's host {host} is {kind} address.")
    raise RefusedEndpoint(f"The endpoint's host {host} is an IP address, not a push service.")
