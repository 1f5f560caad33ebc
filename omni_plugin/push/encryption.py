"""Message encryption for web push (RFC 8291), in the aes128gcm content coding (RFC 8188).

    body = encrypt(payload, p256dh, auth)  # POSTed with "Content-Encoding: aes128gcm"

Each push gets a new ephemeral key pair and salt. The body is one record: the header
(salt, record size, the ephemeral public key) and the payload with its delimiter,
encrypted with AES-128-GCM under a key and nonce derived from the browser's keys.
"""

import hmac
import os
import struct

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .vapid import b64url_decode

RECORD_SIZE = 4096
#: Ends the last (and only) record of the payload.
LAST_RECORD = b"\x02"
KEY_INFO = b"WebPush: info\x00"
CEK_INFO = b"Content-Encoding: aes128gcm\x00\x01"
NONCE_INFO = b"Content-Encoding: nonce\x00\x01"


def _hmac(key, message):
    return hmac.digest(key, message, "sha256")


def encrypt(payload, p256dh, auth):
    """The aes128gcm body of ``payload`` (bytes) for the subscription's keys (base64url);
    raises ``ValueError`` for keys that are not a P-256 point and a 16-byte secret."""
    browser_public = b64url_decode(p256dh)
    auth_secret = b64url_decode(auth)
    if len(auth_secret) != 16:
        raise ValueError("The subscription's auth secret is not 16 bytes.")
    browser_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), browser_public)
    server_key = ec.generate_private_key(ec.SECP256R1())
    server_public = server_key.public_key().public_bytes(
        Encoding.X962, PublicFormat.UncompressedPoint
    )
    shared_secret = server_key.exchange(ec.ECDH(), browser_key)

    key_material = _hmac(
        _hmac(auth_secret, shared_secret), KEY_INFO + browser_public + server_public + b"\x01"
    )
    salt = os.urandom(16)
    pseudo_random_key = _hmac(salt, key_material)
    content_key = _hmac(pseudo_random_key, CEK_INFO)[:16]
    nonce = _hmac(pseudo_random_key, NONCE_INFO)[:12]

    ciphertext = AESGCM(content_key).encrypt(nonce, payload + LAST_RECORD, None)
    header = salt + struct.pack("!IB", RECORD_SIZE, len(server_public)) + server_public
    return header + ciphertext
