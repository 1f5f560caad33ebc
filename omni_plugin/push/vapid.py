"""The shop's VAPID identity (RFC 8292): who signs its pushes, and the header that proves it.

    identity = configured_identity()  # None while web push is off; raises VapidError
    headers = {"Authorization": authorization_header(subscription.endpoint)}

Keys and subject come from the ``OMNI_PUSH_VAPID_*`` settings. A signed token is made once
per push service origin and reused until it nears its expiry, so a fan-out of thousands of
pushes signs a handful of tokens.
"""

import base64
import binascii
import ipaddress
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from py_vapid.jwt import sign

from omni_plugin.conf import omni_settings

#: Tokens live 12 hours (push services refuse more than 24) and are renewed in their last hour.
TOKEN_LIFETIME = 12 * 60 * 60
TOKEN_RENEWAL = 60 * 60
PUBLIC_KEY_BYTES = 65  # 0x04, then x and y: the form browsers take as applicationServerKey
PRIVATE_KEY_BYTES = 32
BASE64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")
#: Domains outside the public internet: local names, and those RFC 2606 reserves. Apple's
#: push service refuses a subject on them ("BadJwtToken"), although others accept it.
UNREACHABLE_DOMAINS = (
    *("localhost", "local", "localdomain", "internal", "lan", "home.arpa"),
    *("example", "invalid", "test"),
)
DEFAULT_PORTS = {"https": 443, "http": 80}


class VapidError(ValueError):
    """The VAPID keys or subject cannot be used; the message says why."""


@dataclass(frozen=True)
class VapidIdentity:
    private_key: ec.EllipticCurvePrivateKey
    public_key: str  # base64url of the uncompressed point, as browsers subscribe with it
    subject: str


def generate_keys():
    """A new key pair as ``(public_key, private_key)``, both base64url strings."""
    private_key = ec.generate_private_key(ec.SECP256R1())
    raw_private = private_key.private_numbers().private_value.to_bytes(PRIVATE_KEY_BYTES, "big")
    return encode_public_key(private_key.public_key()), b64url_encode(raw_private)


def load_public_key(text):
    """The public key from base64url of its uncompressed point; raises ``VapidError``."""
    try:
        raw = b64url_decode(text)
        if len(raw) != PUBLIC_KEY_BYTES:
            raise ValueError
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        raise VapidError(
            "it is not base64url of an uncompressed P-256 point (65 bytes starting with 0x04)"
        ) from None


def load_private_key(text):
    """The private key from base64url (32 raw bytes, or DER) or PEM; raises ``VapidError``."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            raw = b64url_decode(text)
            if len(raw) == PRIVATE_KEY_BYTES:
                key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
            else:
                key = serialization.load_der_private_key(raw, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise VapidError("it is neither base64url of 32 raw bytes nor a PEM or DER key") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise VapidError("it is not a P-256 (prime256v1) key, the only curve VAPID uses")
    return key


def check_subject(subject):
    """Raise ``VapidError`` unless ``subject`` is a contact every push service accepts."""
    if not subject:
        raise VapidError("it is empty")
    scheme, _, rest = subject.partition(":")
    if scheme == "mailto":
        try:
            validate_email(rest)
        except ValidationError:
            raise VapidError(f"{rest!r} is not an email address") from None
        host = rest.rpartition("@")[2]
    elif scheme == "http":
        raise VapidError("it is an http: URL, not https:")
    elif scheme == "https":
        try:
            host = urlsplit(subject).hostname
        except ValueError:  # an unclosed IPv6 bracket
            host = None
        if not host:
            raise VapidError("the URL names no host")
    else:
        raise VapidError("it is neither a mailto: address nor an https: URL")
    _check_public_domain(host.strip("[]").lower())


def _check_public_domain(host):
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        raise VapidError(f"{host} is an IP address, not a domain name")
    if "." not in host.rstrip(".") or host.rstrip(".").endswith(
        tuple(f".{domain}" for domain in UNREACHABLE_DOMAINS)
    ):
        raise VapidError(f"{host} is not a public domain name")


def check_pair(private_key, public_key):
    """Raise ``VapidError`` unless the two loaded keys are one pair."""
    if encode_public_key(private_key.public_key()) != encode_public_key(public_key):
        raise VapidError("the public key is not the private key's")


def load_identity(public_key, private_key, subject):
    """Load the keys, check they are one pair and the subject acceptable; raises ``VapidError``."""
    key = load_private_key(private_key)
    check_pair(key, load_public_key(public_key))
    check_subject(subject)
    return VapidIdentity(
        private_key=key, public_key=encode_public_key(key.public_key()), subject=subject
    )


def configured_identity():
    """The identity the settings give, or None while both keys are empty (web push off)."""
    return _identity_from(
        omni_settings.PUSH_VAPID_PUBLIC_KEY,
        omni_settings.PUSH_VAPID_PRIVATE_KEY,
        omni_settings.PUSH_VAPID_SUBJECT,
    )


@lru_cache(maxsize=4)
def _identity_from(public_key, private_key, subject):
    if not public_key and not private_key:
        return None
    try:
        if not public_key or not private_key:
            raise VapidError("only one of the two keys is set")
        return load_identity(public_key, private_key, subject)
    except VapidError as problem:
        raise VapidError(
            "The OMNI_PUSH_VAPID_* settings cannot be used: manage.py check says why."
        ) from problem


def push_service_origin(endpoint):
    """The origin (scheme://host[:port]) of an endpoint: the audience of its tokens."""
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        parts = None
    if not parts or parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise VapidError(f"{endpoint!r} is not an http(s) URL")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    if port is None or port == DEFAULT_PORTS[parts.scheme]:
        return f"{parts.scheme}://{host}"
    return f"{parts.scheme}://{host}:{port}"


class TokenCache:
    """One signed token per (identity, push service origin), reused until near its expiry."""

    def __init__(self, clock=time.time):
        self.clock = clock
        self._headers = {}  # (public key, subject, origin) -> (header, expires at)

    def authorization(self, identity, endpoint):
        """The ``Authorization`` header value for a push to ``endpoint``."""
        origin = push_service_origin(endpoint)
        now = int(self.clock())
        key = (identity.public_key, identity.subject, origin)
        cached = self._headers.get(key)
        if cached and cached[1] - now > TOKEN_RENEWAL:
            return cached[0]
        expires = now + TOKEN_LIFETIME
        token = sign({"aud": origin, "exp": expires, "sub": identity.subject}, identity.private_key)
        header = f"vapid t={token}, k={identity.public_key}"
        self._headers[key] = (header, expires)
        return header


tokens = TokenCache()


def authorization_header(endpoint):
    """The ``Authorization`` header value for a push to ``endpoint``; raises ``VapidError``."""
    identity = configured_identity()
    if identity is None:
        raise VapidError(
            "Web push is off: OMNI_PUSH_VAPID_PUBLIC_KEY and OMNI_PUSH_VAPID_PRIVATE_KEY are empty."
        )
    return tokens.authorization(identity, endpoint)


def encode_public_key(public_key):
    raw = public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url_encode(raw)


def b64url_encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    """Decode base64url, padded or not; raises ``ValueError`` on any other character."""
    text = text.strip()
    if not BASE64URL.fullmatch(text):
        raise ValueError("not base64url")
    unpadded = text.rstrip("=")
    try:
        return base64.urlsafe_b64decode(unpadded + "=" * (-len(unpadded) % 4))
    except binascii.Error:
        raise ValueError("not base64url") from None
