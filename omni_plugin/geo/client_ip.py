"""The visitor's IP address, believing forwarding headers only from trusted proxies."""

import ipaddress
from functools import lru_cache

from omni_plugin.conf import omni_settings


@lru_cache(maxsize=8)
def _networks(networks):
    return tuple(ipaddress.ip_network(network) for network in networks)


def trusted_networks():
    return _networks(tuple(omni_settings.TRUSTED_PROXIES))


def parse_ip(value):
    """An ``ip_address`` from a header value ("[2001:db8::1]:443" too), or None."""
    value = value.strip()
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:
        value = value.partition(":")[0]  # IPv4 with a port
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def is_trusted(address, networks=None):
    networks = trusted_networks() if networks is None else networks
    return any(address in network for network in networks)


def peer_is_trusted(request):
    """Whether the machine that connected to us is one of the trusted proxies."""
    peer = parse_ip(request.META.get("REMOTE_ADDR", ""))
    return peer is not None and is_trusted(peer)


def client_ip(request):
    """The client's public address, or None when it is private, loopback or malformed.

    ``X-Forwarded-For`` is read only when ``REMOTE_ADDR`` is a trusted proxy, and from
    right to left: each trusted proxy appended the address it saw, so the first
    untrusted address is the client, and anything left of it may be forged.
    """
    address = parse_ip(request.META.get("REMOTE_ADDR", ""))
    if address is None:
        return None
    networks = trusted_networks()
    if is_trusted(address, networks):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        for hop in reversed([hop for hop in forwarded.split(",") if hop.strip()]):
            address = parse_ip(hop)
            if address is None:
                return None
            if not is_trusted(address, networks):
                break
    return address if address.is_global else None
