"""API keys of the tills: made with a random secret, shown once, kept only as a hash.

A key reads ``pos_<8 hex>.<43 characters>``: the part before the dot is its public prefix,
stored as it is to find the key, and the whole key's SHA-256 is stored to check it. The
secret holds 256 random bits, so a fast hash is as safe here as a slow one would be.
"""

import hashlib
import hmac
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from omni_plugin.pos.models import PosApiKey

PREFIX_START = "pos_"


def issue_key(store, *, scopes, till=""):
    """A new key for ``store``: ``(PosApiKey, the key itself)``; only the caller sees the key."""
    while True:
        prefix = PREFIX_START + secrets.token_hex(4)
        key = f"{prefix}.{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                record = PosApiKey.objects.create(
                    store=store,
                    till=till,
                    scopes=sorted(scopes),
                    prefix=prefix,
                    hashed_secret=hash_key(key),
                )
        except IntegrityError:
            continue  # another key has this prefix already: draw again
        return record, key


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


def find_key(key):
    """The ``PosApiKey`` that ``key`` is (revoked or not), or None."""
    prefix, dot, _secret = key.partition(".")
    if not dot or not prefix.startswith(PREFIX_START):
        return None
    record = PosApiKey.objects.select_related("store").filter(prefix=prefix).first()
    if record is None or not hmac.compare_digest(record.hashed_secret, hash_key(key)):
        return None
    return record


def revoke(record, now=None):
    """The key stops working at once; revoking it again keeps the first date."""
    if record.revoked_at is None:
        record.revoked_at = now or timezone.now()
        record.save(update_fields=["revoked_at"])
    return record
