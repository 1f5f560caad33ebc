"""Push subscriptions: checking what a browser sends, and keeping it on the visitor's profile.

    data = read_subscription(parse_body(request.body))  # raises InvalidSubscription
    subscription, created = subscribe(request, data)
    unsubscribe(request, data.endpoint)                  # raises UnknownSubscription
    resubscribe(request, old_endpoint, data)             # the push service renewed it

The browser sends ``PushSubscription.toJSON()``: ``{"endpoint", "expirationTime", "keys":
{"p256dh", "auth"}}``. Whoever knows an endpoint may unsubscribe it: the endpoint is a
secret the browser holds, and unsubscribing only ever stops pushes.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric import ec
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language_from_request

from omni_plugin.core.consent import Purpose, Status, allows, record_consent
from omni_plugin.core.events import ProfileErased, record
from omni_plugin.core.models import Profile

from .endpoints import RefusedEndpoint, check_endpoint
from .models import PushSubscription
from .models.subscriptions import ENDPOINT_MAX_LENGTH
from .vapid import b64url_decode, b64url_encode

MAX_BODY = 4096
#: An uncompressed P-256 point (0x04, x, y) and the 16-byte authentication secret.
P256DH_BYTES = 65
AUTH_BYTES = 16
CONSENT_SOURCE = "push_prompt"
#: Coordinates are kept to about a kilometre: enough for a campaign's radius, no more.
COORDINATE_DECIMALS = 2


class InvalidSubscription(ValueError):
    """The browser's subscription cannot be kept; the message says why."""


class UnknownSubscription(LookupError):
    """No subscription has the endpoint."""


@dataclass(frozen=True)
class SubscriptionData:
    endpoint: str
    p256dh: str
    auth: str
    expiration_time: datetime | None


def parse_body(body):
    """The JSON object of a request body of at most ``MAX_BODY`` bytes."""
    if len(body) > MAX_BODY:
        raise InvalidSubscription(f"The body is too large: at most {MAX_BODY} bytes.")
    try:
        payload = json.loads(body)
    except ValueError:
        raise InvalidSubscription("The body is not JSON.") from None
    if not isinstance(payload, dict):
        raise InvalidSubscription("The body is a JSON object, as PushSubscription.toJSON() gives.")
    return payload


def read_subscription(payload):
    """A ``SubscriptionData`` from the browser's JSON, every field checked."""
    keys = payload.get("keys")
    endpoint = read_endpoint(payload)
    if not isinstance(keys, dict):
        raise InvalidSubscription("'keys' is missing: an object with 'p256dh' and 'auth'.")
    p256dh, public_key = _key(keys, "p256dh", P256DH_BYTES)
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public_key)
    except ValueError:
        raise InvalidSubscription("'keys.p256dh' is not a P-256 public key.") from None
    auth, _ = _key(keys, "auth", AUTH_BYTES)
    return SubscriptionData(
        endpoint=endpoint,
        p256dh=p256dh,
        auth=auth,
        expiration_time=_expiration_time(payload.get("expirationTime")),
    )


def read_endpoint(payload):
    endpoint = payload.get("endpoint")
    if not isinstance(endpoint, str) or not endpoint:
        raise InvalidSubscription("'endpoint' is missing: the URL of the browser's push service.")
    if len(endpoint) > ENDPOINT_MAX_LENGTH:
        raise InvalidSubscription(f"'endpoint' is longer than {ENDPOINT_MAX_LENGTH} characters.")
    try:
        check_endpoint(endpoint)
    except RefusedEndpoint as refusal:
        raise InvalidSubscription(str(refusal)) from None
    return endpoint


def _key(keys, name, size):
    """The key as unpadded base64url, and its bytes."""
    value = keys.get(name)
    if not isinstance(value, str) or not value:
        raise InvalidSubscription(f"'keys.{name}' is missing.")
    try:
        decoded = b64url_decode(value)
    except ValueError:
        raise InvalidSubscription(f"'keys.{name}' is not base64url.") from None
    if len(decoded) != size:
        raise InvalidSubscription(
            f"'keys.{name}' holds {len(decoded)} bytes; a browser's {name} key has {size}."
        )
    return b64url_encode(decoded), decoded


def _expiration_time(milliseconds):
    if milliseconds is None:
        return None
    problem = f"'expirationTime' is null or milliseconds since 1970, not {milliseconds!r}."
    if isinstance(milliseconds, bool) or not isinstance(milliseconds, (int, float)):
        raise InvalidSubscription(problem)
    try:
        moment = datetime.fromtimestamp(milliseconds / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise InvalidSubscription(problem) from None
    if moment <= timezone.now():
        raise InvalidSubscription("'expirationTime' has passed: the subscription has expired.")
    return moment


def subscribe(request, data):
    """Keep ``data`` as a subscription of the visitor's profile: ``(subscription, created)``.

    Subscribing again updates the keys and reactivates the subscription; an endpoint that
    another profile had moves to this visitor's. Subscribing is opting in: the profile's
    consent to push is recorded as granted, unless it already is.
    """
    omni = request.omni
    profile_id = omni.ensure_profile().id
    geo = omni.geo
    coordinates = geo.coordinates
    fields = {
        "profile_id": profile_id,
        "origin_profile_id": profile_id,
        "p256dh": data.p256dh,
        "auth": data.auth,
        "expiration_time": data.expiration_time,
        **geo.coarse(),
        "latitude": round(coordinates[0], COORDINATE_DECIMALS) if coordinates else None,
        "longitude": round(coordinates[1], COORDINATE_DECIMALS) if coordinates else None,
        "device": omni.device,
        "language": get_language_from_request(request),
        "active": True,
        "deactivated_at": None,
        "deactivation_reason": "",
    }
    with transaction.atomic():
        subscription, created = PushSubscription.objects.select_for_update().get_or_create(
            endpoint=data.endpoint, defaults=fields
        )
        newly_active = created
        if not created:
            moved = subscription.profile_id != profile_id
            newly_active = moved or not subscription.active
            if moved and subscription.active:
                _record(request, "push_unsubscribed", subscription.profile_id, subscription)
            for name, value in fields.items():
                setattr(subscription, name, value)
            subscription.save()
        if newly_active:
            _record(request, "push_subscribed", profile_id, subscription)
        snapshot = Profile.objects.values_list("snapshot", flat=True).get(pk=profile_id)
        if not allows(snapshot, Purpose.PUSH):
            record_consent(profile_id, Purpose.PUSH, Status.GRANTED, source=CONSENT_SOURCE)
    return subscription, created


def unsubscribe(request, endpoint):
    """Deactivate the subscription with ``endpoint``, whoever it belongs to."""
    with transaction.atomic():
        subscription = PushSubscription.objects.select_for_update().filter(endpoint=endpoint)
        subscription = subscription.first()
        if subscription is None:
            raise UnknownSubscription("No push subscription has this endpoint.")
        if subscription.active:
            subscription.active = False
            subscription.deactivated_at = timezone.now()
            subscription.deactivation_reason = PushSubscription.DeactivationReason.UNSUBSCRIBED
            subscription.save()
            _record(request, "push_unsubscribed", subscription.profile_id, subscription)
    return subscription


def _record(request, kind, profile_id, subscription):
    """Record the event on the subscription's profile, the visitor's or another one."""
    data = {"subscription": subscription.pk}
    omni = getattr(request, "omni", None)
    visitors = omni.profile if omni is not None and omni.trackable else None
    if visitors is not None and visitors.id == profile_id:
        record(kind, request=request, data=data)  # written with the request's other events
        return
    try:
        record(kind, profile=profile_id, data=data)
    except ProfileErased:
        pass  # nothing more is written about a person whose profile was erased


def resubscribe(request, old_endpoint, data):
    """Move the subscription with ``old_endpoint`` to the browser's new one, on its profile.

    The push service replaced the subscription and the service worker reports it: knowing
    the old endpoint proves it is the same browser. A subscription the push service had
    reported gone is active again; one the visitor ended stays ended.
    """
    with transaction.atomic():
        subscription = PushSubscription.objects.select_for_update().filter(endpoint=old_endpoint)
        subscription = subscription.first()
        if subscription is None:
            raise UnknownSubscription("No push subscription has this endpoint.")
        others = PushSubscription.objects.filter(endpoint=data.endpoint).exclude(pk=subscription.pk)
        if others.exists():
            raise InvalidSubscription("Another push subscription already has the new endpoint.")
        subscription.endpoint = data.endpoint
        subscription.p256dh = data.p256dh
        subscription.auth = data.auth
        subscription.expiration_time = data.expiration_time
        revived = subscription.deactivation_reason == PushSubscription.DeactivationReason.GONE
        if revived:
            subscription.active = True
            subscription.deactivated_at = None
            subscription.deactivation_reason = ""
        subscription.save()
        if revived:
            _record(request, "push_subscribed", subscription.profile_id, subscription)
    return subscription
