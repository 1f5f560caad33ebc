"""The shop's VAPID identity: `manage.py omni_vapid_keys` makes a pair, the system checks
explain bad keys and subjects, and pushes carry a signed token reused per push service."""

import base64
import json
import re
from io import StringIO

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.core.management import call_command
from py_vapid import Vapid02

from omni_plugin.push import vapid
from omni_plugin.push.checks import check_vapid

SUBJECT = "mailto:webmaster@example.com"
FCM = "https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ:APA91bH-token"
APPLE = "https://web.push.apple.com/QGuQyavXutnMH7HyRHiHVgsCXyyqOSNsZqDhkSHOXNMvGM"
MOZILLA = "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABl-token"
SETTINGS_LINE = re.compile(r'^(OMNI_PUSH_VAPID_(?:PUBLIC|PRIVATE)_KEY) = "([A-Za-z0-9_-]+)"$')
ENV_LINE = re.compile(r"^(OMNI_PUSH_VAPID_(?:PUBLIC|PRIVATE)_KEY)=([A-Za-z0-9_-]+)$")
BROKEN_PEM = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
AUTHORIZATION = re.compile(r"^vapid t=([A-Za-z0-9_.-]+), k=([A-Za-z0-9_-]+)$")


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_private_key(curve=ec.SECP256R1):
    return ec.generate_private_key(curve())


def public_key_text(private_key):
    point = private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(point)


def raw_private_key_text(private_key):
    return b64url(private_key.private_numbers().private_value.to_bytes(32, "big"))


def pem_private_key_text(private_key):
    return private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()


def der_private_key_text(private_key):
    der = private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return b64url(der)


def verified_claims(authorization):
    """The claims of the header's token, once its ES256 signature checks out against its key."""
    token, public_key = AUTHORIZATION.fullmatch(authorization).groups()
    header, claims, signature = token.split(".")
    assert json.loads(b64url_decode(header)) == {"typ": "JWT", "alg": "ES256"}
    raw_signature = b64url_decode(signature)
    assert len(raw_signature) == 64
    r, s = (int.from_bytes(raw_signature[i : i + 32], "big") for i in (0, 32))
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(public_key))
    key.verify(encode_dss_signature(r, s), f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    return public_key, json.loads(b64url_decode(claims))


@pytest.fixture
def vapid_keys(settings):
    private_key = new_private_key()
    settings.OMNI_PUSH_VAPID_PUBLIC_KEY = public_key_text(private_key)
    settings.OMNI_PUSH_VAPID_PRIVATE_KEY = raw_private_key_text(private_key)
    settings.OMNI_PUSH_VAPID_SUBJECT = SUBJECT
    return settings


class FakeClock:
    def __init__(self):
        self.now = 1_800_000_000

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(vapid, "tokens", vapid.TokenCache(clock=clock))
    return clock


# manage.py omni_vapid_keys


def run_command(*args):
    out = StringIO()
    call_command("omni_vapid_keys", *args, stdout=out)
    return out.getvalue().splitlines()


def printed_keys(lines, pattern):
    return dict(match.groups() for line in lines if (match := pattern.fullmatch(line)))


def test_command_prints_a_pair_that_signs_pushes(settings, clock):
    lines = run_command()

    keys = printed_keys(lines, SETTINGS_LINE)
    assert set(keys) == {"OMNI_PUSH_VAPID_PUBLIC_KEY", "OMNI_PUSH_VAPID_PRIVATE_KEY"}
    assert all(line.startswith("#") for line in lines if not SETTINGS_LINE.fullmatch(line))
    assert any("OMNI_PUSH_VAPID_SUBJECT" in line for line in lines)
    for name, value in keys.items():
        setattr(settings, name, value)
    settings.OMNI_PUSH_VAPID_SUBJECT = SUBJECT
    assert check_vapid(None) == []
    public_key, claims = verified_claims(vapid.authorization_header(FCM))
    assert public_key == keys["OMNI_PUSH_VAPID_PUBLIC_KEY"]
    assert claims["aud"] == "https://fcm.googleapis.com"
    assert claims["sub"] == SUBJECT


def test_command_prints_environment_lines_with_env(settings):
    lines = run_command("--env")

    keys = printed_keys(lines, ENV_LINE)
    assert set(keys) == {"OMNI_PUSH_VAPID_PUBLIC_KEY", "OMNI_PUSH_VAPID_PRIVATE_KEY"}
    assert all(line.startswith("#") for line in lines if not ENV_LINE.fullmatch(line))
    settings.OMNI_PUSH_VAPID_PUBLIC_KEY = keys["OMNI_PUSH_VAPID_PUBLIC_KEY"]
    settings.OMNI_PUSH_VAPID_PRIVATE_KEY = keys["OMNI_PUSH_VAPID_PRIVATE_KEY"]
    settings.OMNI_PUSH_VAPID_SUBJECT = SUBJECT
    assert check_vapid(None) == []


def test_command_makes_a_new_pair_each_time_and_writes_no_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    first, second = (
        printed_keys(run_command(), SETTINGS_LINE),
        printed_keys(run_command(), SETTINGS_LINE),
    )

    assert first["OMNI_PUSH_VAPID_PRIVATE_KEY"] != second["OMNI_PUSH_VAPID_PRIVATE_KEY"]
    assert list(tmp_path.iterdir()) == []


# System checks


def messages(errors):
    return [(error.id, error.msg) for error in errors]


def test_no_keys_warns_that_web_push_is_off(settings):
    settings.OMNI_PUSH_VAPID_PUBLIC_KEY = ""
    settings.OMNI_PUSH_VAPID_PRIVATE_KEY = ""
    settings.OMNI_PUSH_VAPID_SUBJECT = ""

    assert messages(check_vapid(None)) == [
        (
            "omni.W015",
            "Web push is off because OMNI_PUSH_VAPID_PUBLIC_KEY and OMNI_PUSH_VAPID_PRIVATE_KEY "
            "are empty: set both to the one pair that manage.py omni_vapid_keys prints.",
        )
    ]
    with pytest.raises(vapid.VapidError, match="Web push is off"):
        vapid.authorization_header(FCM)


GOOD_PRIVATE_KEYS = {
    "raw base64url": raw_private_key_text,
    "raw base64url with padding": lambda key: raw_private_key_text(key) + "=",
    "PEM (SEC1, as openssl ecparam writes it)": pem_private_key_text,
    "DER in base64url": der_private_key_text,
    "PEM (PKCS8, as py_vapid writes it)": lambda key: Vapid02(key).private_pem().decode(),
}


@pytest.mark.parametrize("encode", GOOD_PRIVATE_KEYS.values(), ids=GOOD_PRIVATE_KEYS.keys())
def test_private_key_forms_pass(settings, encode):
    private_key = new_private_key()
    settings.OMNI_PUSH_VAPID_PUBLIC_KEY = public_key_text(private_key)
    settings.OMNI_PUSH_VAPID_PRIVATE_KEY = encode(private_key)
    settings.OMNI_PUSH_VAPID_SUBJECT = SUBJECT

    assert check_vapid(None) == []


GOOD_SUBJECTS = [
    "mailto:webmaster@example.com",
    "mailto:push.team@shop.co.uk",
    "https://shop.example.com",
    "https://www.example.com/contact/",
]


@pytest.mark.parametrize("subject", GOOD_SUBJECTS)
def test_good_subjects_pass(vapid_keys, subject):
    vapid_keys.OMNI_PUSH_VAPID_SUBJECT = subject

    assert check_vapid(None) == []


BAD_KEYS = {
    "public key not base64url": (
        {"OMNI_PUSH_VAPID_PUBLIC_KEY": "not a key!"},
        "OMNI_PUSH_VAPID_PUBLIC_KEY cannot be used because it is not base64url of an "
        "uncompressed P-256 point (65 bytes starting with 0x04): set both to the one pair "
        "that manage.py omni_vapid_keys prints.",
    ),
    "public key not on the curve": (
        {"OMNI_PUSH_VAPID_PUBLIC_KEY": b64url(b"\x04" + b"\x01" * 64)},
        "OMNI_PUSH_VAPID_PUBLIC_KEY cannot be used because it is not base64url of an "
        "uncompressed P-256 point",
    ),
    "compressed public key": (
        {"OMNI_PUSH_VAPID_PUBLIC_KEY": b64url(b"\x02" + b"\x01" * 32)},
        "OMNI_PUSH_VAPID_PUBLIC_KEY cannot be used because it is not base64url of an "
        "uncompressed P-256 point",
    ),
    "private key truncated": (
        {"OMNI_PUSH_VAPID_PRIVATE_KEY": b64url(b"\x01" * 31)},
        "OMNI_PUSH_VAPID_PRIVATE_KEY cannot be used because it is neither base64url of 32 "
        "raw bytes nor a PEM or DER key: set both to the one pair that manage.py "
        "omni_vapid_keys prints.",
    ),
    "private key with other characters": (
        {"OMNI_PUSH_VAPID_PRIVATE_KEY": "secret key"},
        "OMNI_PUSH_VAPID_PRIVATE_KEY cannot be used because it is neither base64url",
    ),
    "private key broken PEM": (
        {"OMNI_PUSH_VAPID_PRIVATE_KEY": BROKEN_PEM},
        "OMNI_PUSH_VAPID_PRIVATE_KEY cannot be used because it is neither base64url",
    ),
    "private key on another curve": (
        {"OMNI_PUSH_VAPID_PRIVATE_KEY": pem_private_key_text(new_private_key(ec.SECP384R1))},
        "OMNI_PUSH_VAPID_PRIVATE_KEY cannot be used because it is not a P-256 (prime256v1) key",
    ),
    "keys of two pairs": (
        {"OMNI_PUSH_VAPID_PUBLIC_KEY": public_key_text(new_private_key())},
        "OMNI_PUSH_VAPID_PUBLIC_KEY is not the public key of OMNI_PUSH_VAPID_PRIVATE_KEY, so "
        "browsers would refuse every push: set both to the one pair that manage.py "
        "omni_vapid_keys prints.",
    ),
    "public key alone": (
        {"OMNI_PUSH_VAPID_PRIVATE_KEY": ""},
        "OMNI_PUSH_VAPID_PUBLIC_KEY is set but OMNI_PUSH_VAPID_PRIVATE_KEY is empty: set "
        "both to the one pair that manage.py omni_vapid_keys prints.",
    ),
    "private key alone": (
        {"OMNI_PUSH_VAPID_PUBLIC_KEY": ""},
        "OMNI_PUSH_VAPID_PRIVATE_KEY is set but OMNI_PUSH_VAPID_PUBLIC_KEY is empty",
    ),
}


@pytest.mark.parametrize("changes, message", BAD_KEYS.values(), ids=BAD_KEYS.keys())
def test_bad_keys_are_explained(vapid_keys, changes, message):
    for name, value in changes.items():
        setattr(vapid_keys, name, value)

    errors = messages(check_vapid(None))

    assert len(errors) == 1, errors
    assert errors[0][0] == "omni.E013"
    assert errors[0][1].startswith(message)
    with pytest.raises(vapid.VapidError, match=r"OMNI_PUSH_VAPID_\* settings cannot be used"):
        vapid.authorization_header(FCM)


def test_two_malformed_keys_get_one_error_each(vapid_keys):
    vapid_keys.OMNI_PUSH_VAPID_PUBLIC_KEY = "public"
    vapid_keys.OMNI_PUSH_VAPID_PRIVATE_KEY = "private"

    errors = messages(check_vapid(None))

    assert [error_id for error_id, _ in errors] == ["omni.E013", "omni.E013"]
    assert errors[0][1].startswith("OMNI_PUSH_VAPID_PUBLIC_KEY cannot be used")
    assert errors[1][1].startswith("OMNI_PUSH_VAPID_PRIVATE_KEY cannot be used")


BAD_SUBJECTS = {
    "empty": ("", "it is empty"),
    "http URL": (
        "http://shop.example.com",
        "it is an http: URL, not https:",
    ),
    "address without mailto": (
        "webmaster@example.com",
        "it is neither a mailto: address nor an https: URL",
    ),
    "mailto without @": ("mailto:webmaster", "'webmaster' is not an email address"),
    "mailto without domain": ("mailto:webmaster@", "'webmaster@' is not an email address"),
    "mailto at localhost": (
        "mailto:webmaster@localhost",
        "localhost is not a public domain name",
    ),
    "mailto on .local": ("mailto:push@shop.local", "shop.local is not a public domain name"),
    "mailto on .invalid": ("mailto:push@shop.invalid", "shop.invalid is not a public domain name"),
    "mailto with an IP address": (
        "mailto:push@[192.0.2.1]",
        "192.0.2.1 is an IP address, not a domain name",
    ),
    "https without host": ("https:///contact", "the URL names no host"),
    "https on localhost": ("https://localhost:8000", "localhost is not a public domain name"),
    "mailto on .example": ("mailto:push@shop.example", "shop.example is not a public domain name"),
    "https with a broken host": ("https://[::1/contact", "the URL names no host"),
    "https on an IP address": (
        "https://203.0.113.9/",
        "203.0.113.9 is an IP address, not a domain name",
    ),
}


@pytest.mark.parametrize("subject, reason", BAD_SUBJECTS.values(), ids=BAD_SUBJECTS.keys())
def test_bad_subjects_are_explained(vapid_keys, subject, reason):
    vapid_keys.OMNI_PUSH_VAPID_SUBJECT = subject

    assert messages(check_vapid(None)) == [
        (
            "omni.E014",
            f"OMNI_PUSH_VAPID_SUBJECT {subject!r} cannot be used because {reason}: set it to a "
            "mailto: address or an https: URL on your public domain, which Apple's push "
            "service requires.",
        )
    ]
    with pytest.raises(vapid.VapidError, match=r"OMNI_PUSH_VAPID_\* settings cannot be used"):
        vapid.authorization_header(FCM)


def test_settings_of_the_wrong_type_are_left_to_the_settings_check(vapid_keys):
    vapid_keys.OMNI_PUSH_VAPID_PUBLIC_KEY = 42

    assert check_vapid(None) == []


# Signed tokens


def test_token_names_the_push_service_the_subject_and_an_expiry_within_a_day(vapid_keys, clock):
    public_key, claims = verified_claims(vapid.authorization_header(APPLE))

    assert public_key == vapid_keys.OMNI_PUSH_VAPID_PUBLIC_KEY
    assert claims == {"aud": "https://web.push.apple.com", "exp": claims["exp"], "sub": SUBJECT}
    assert clock.now < claims["exp"] <= clock.now + 24 * 60 * 60


def test_token_is_reused_for_the_same_push_service_until_near_its_expiry(vapid_keys, clock):
    first = vapid.authorization_header(FCM)
    _, claims = verified_claims(first)

    clock.now = claims["exp"] - vapid.TOKEN_RENEWAL - 1
    assert vapid.authorization_header(FCM + "-another-browser") == first

    clock.now = claims["exp"] - vapid.TOKEN_RENEWAL + 1
    renewed = vapid.authorization_header(FCM)
    assert renewed != first
    _, renewed_claims = verified_claims(renewed)
    assert renewed_claims["aud"] == "https://fcm.googleapis.com"
    assert clock.now < renewed_claims["exp"] <= clock.now + 24 * 60 * 60
    assert vapid.authorization_header(FCM) == renewed


def test_each_push_service_gets_its_own_token(vapid_keys, clock):
    headers = {endpoint: vapid.authorization_header(endpoint) for endpoint in (FCM, APPLE, MOZILLA)}

    assert len(set(headers.values())) == 3
    assert [verified_claims(header)[1]["aud"] for header in headers.values()] == [
        "https://fcm.googleapis.com",
        "https://web.push.apple.com",
        "https://updates.push.services.mozilla.com",
    ]


@pytest.mark.parametrize(
    "endpoint, audience",
    [
        ("https://fcm.googleapis.com:443/fcm/send/token", "https://fcm.googleapis.com"),
        ("https://Push.Example.net:8443/send/token", "https://push.example.net:8443"),
        ("http://127.0.0.1:8089/push/token", "http://127.0.0.1:8089"),
    ],
)
def test_audience_is_the_origin_of_the_endpoint(vapid_keys, clock, endpoint, audience):
    assert verified_claims(vapid.authorization_header(endpoint))[1]["aud"] == audience


def test_new_keys_get_a_new_token(vapid_keys, clock):
    first = vapid.authorization_header(FCM)
    private_key = new_private_key()
    vapid_keys.OMNI_PUSH_VAPID_PUBLIC_KEY = public_key_text(private_key)
    vapid_keys.OMNI_PUSH_VAPID_PRIVATE_KEY = raw_private_key_text(private_key)

    public_key, _ = verified_claims(vapid.authorization_header(FCM))

    assert public_key == public_key_text(private_key) != verified_claims(first)[0]
