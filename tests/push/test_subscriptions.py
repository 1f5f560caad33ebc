"""Push subscriptions: a visitor's browser opts in, is kept on their profile, and opts out;
endpoints outside the browsers' push services and malformed subscriptions are refused."""

import json
import os

import pytest
from conftest import DESKTOP_BROWSER
from django.test import Client

from omni_plugin.core.consent import allows, record_consent
from omni_plugin.core.models import Consent, Event, Profile
from omni_plugin.push.models import PushSubscription
from omni_plugin.push.vapid import b64url_encode, generate_keys
from sandbox.demo.geoip import DEMO_CITIES, write_city_database

pytestmark = pytest.mark.django_db

SUBSCRIBE, UNSUBSCRIBE = "/omni/push/subscribe/", "/omni/push/unsubscribe/"
FCM = "https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ:APA91bH-token"
MANCHESTER = DEMO_CITIES["Manchester"][1]
CDN_NODE = "10.1.2.3"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


def browser_keys():
    """The keys a browser makes for a subscription: a P-256 public key and an auth secret."""
    public_key, _ = generate_keys()
    return {"p256dh": public_key, "auth": b64url_encode(os.urandom(16))}


def subscription_json(endpoint=FCM, **changes):
    """What ``PushSubscription.toJSON()`` gives in the browser."""
    return {"endpoint": endpoint, "expirationTime": None, "keys": browser_keys(), **changes}


def post(client, url, payload, **headers):
    body = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
    return client.post(url, body, content_type="application/json", **headers)


@pytest.fixture(autouse=True)
def push_on(settings):
    settings.OMNI_PUSH_VAPID_PUBLIC_KEY, settings.OMNI_PUSH_VAPID_PRIVATE_KEY = generate_keys()


@pytest.fixture
def city_database(tmp_path, settings):
    settings.OMNI_GEOIP_PATH = str(write_city_database(tmp_path / "city.mmdb", DEMO_CITIES))


@pytest.fixture
def cdn(settings):
    """Requests that come through a CDN node, which says which country the visitor is in."""
    settings.OMNI_TRUSTED_PROXIES = ["10.0.0.0/8"]


def visitor_profile(response):
    visitor_id = response.wsgi_request.omni.visitor_id
    return Profile.objects.get(identifiers__value=visitor_id)


def event_kinds(profile):
    return sorted(Event.objects.filter(profile=profile).values_list("kind", flat=True))


# Subscribing


def test_an_anonymous_visitor_subscribes(client, city_database):
    payload = subscription_json()

    response = post(client, SUBSCRIBE, payload, REMOTE_ADDR=MANCHESTER)

    assert response.status_code == 201
    subscription = PushSubscription.objects.get()
    assert response.json() == {"id": subscription.pk}
    profile = visitor_profile(response)
    assert subscription.profile == profile
    assert (subscription.endpoint, subscription.p256dh, subscription.auth) == (
        FCM,
        payload["keys"]["p256dh"],
        payload["keys"]["auth"],
    )
    assert subscription.active and subscription.expiration_time is None
    assert (
        subscription.country,
        subscription.region,
        subscription.city,
        subscription.time_zone,
    ) == ("GB", "England", "Manchester", "Europe/London")
    assert (subscription.device, subscription.language) == ("desktop", "en-gb")


def test_subscribing_records_consent_and_the_subscription_on_the_profile(client):
    response = post(client, SUBSCRIBE, subscription_json())

    profile = visitor_profile(response)
    consent = Consent.objects.get(profile=profile)
    assert (consent.purpose, consent.status, consent.source) == ("push", "granted", "push_prompt")
    assert allows(profile.snapshot, "push")
    assert profile.snapshot["push_subscriptions"] == 1
    assert event_kinds(profile) == ["consent_recorded", "push_subscribed"]


def test_erasing_the_profile_removes_its_subscriptions(client):
    from omni_plugin.core.gdpr import erase_profile

    profile = visitor_profile(post(client, SUBSCRIBE, subscription_json()))
    assert PushSubscription.objects.filter(profile=profile).exists()

    erase_profile(profile)
    assert not PushSubscription.objects.exists()


def test_the_copy_of_a_persons_data_holds_their_subscriptions_and_pushes(client, city_database):
    from omni_plugin.core.gdpr import export_profile
    from omni_plugin.push.models import Delivery
    from omni_plugin.push.payloads import PushMessage

    payload = subscription_json()
    profile = visitor_profile(post(client, SUBSCRIBE, payload, REMOTE_ADDR=MANCHESTER))
    subscription = PushSubscription.objects.get()
    message = PushMessage(title="Back in stock", body="Size 42", url="/p/42/")
    Delivery.objects.create(
        subscription=subscription, message=message.as_dict(), status="delivered"
    )

    export = json.loads(json.dumps(export_profile(profile)))  # all of it serialisable

    [kept] = export["push_subscriptions"]
    assert (kept["endpoint"], kept["city"], kept["active"]) == (FCM, "Manchester", True)
    [push] = export["push_deliveries"]
    assert (push["endpoint"], push["title"], push["status"]) == (FCM, "Back in stock", "delivered")


def test_the_country_a_trusted_cdn_sends_is_kept(cdn):
    browser = Client(HTTP_USER_AGENT=IPHONE, REMOTE_ADDR=CDN_NODE, HTTP_CF_IPCOUNTRY="IE")

    assert post(browser, SUBSCRIBE, subscription_json()).status_code == 201

    subscription = PushSubscription.objects.get()
    assert (subscription.country, subscription.device) == ("IE", "mobile")


def test_the_language_is_the_shops_best_match_for_the_browsers(client, settings):
    settings.LANGUAGES = [("en-gb", "English"), ("fr", "French"), ("de", "German")]

    post(client, SUBSCRIBE, subscription_json(), HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9,en;q=0.5")

    assert PushSubscription.objects.get().language == "fr"


def test_an_expiration_time_is_kept(client):
    in_2100 = 4102444800000  # milliseconds since 1970, as browsers give it

    post(client, SUBSCRIBE, subscription_json(expirationTime=in_2100))

    assert PushSubscription.objects.get().expiration_time.year == 2100


def test_subscribing_again_updates_the_keys_and_records_nothing_new(client):
    first = post(client, SUBSCRIBE, subscription_json())
    renewed = subscription_json()

    again = post(client, SUBSCRIBE, renewed)

    assert again.status_code == 200
    assert again.json() == first.json()
    subscription = PushSubscription.objects.get()
    assert (subscription.p256dh, subscription.auth) == (
        renewed["keys"]["p256dh"],
        renewed["keys"]["auth"],
    )
    profile = visitor_profile(again)
    assert profile.snapshot["push_subscriptions"] == 1
    assert Consent.objects.filter(profile=profile).count() == 1
    assert event_kinds(profile) == ["consent_recorded", "push_subscribed"]


def test_an_endpoint_another_visitor_held_moves_to_the_new_one(client):
    post(client, SUBSCRIBE, subscription_json())
    other_browser = Client(HTTP_USER_AGENT=DESKTOP_BROWSER)

    response = post(other_browser, SUBSCRIBE, subscription_json())

    assert response.status_code == 200
    first, second = Profile.objects.order_by("pk")
    assert PushSubscription.objects.get().profile == second
    assert first.snapshot["push_subscriptions"] == 0
    assert second.snapshot["push_subscriptions"] == 1


def test_subscribing_after_withdrawing_consent_grants_it_again(client):
    response = post(client, SUBSCRIBE, subscription_json())
    profile = visitor_profile(response)
    record_consent(profile.pk, "push", "withdrawn", source="account")

    post(client, SUBSCRIBE, subscription_json())

    profile.refresh_from_db()
    assert allows(profile.snapshot, "push")


# Unsubscribing


def test_a_visitor_unsubscribes(client):
    post(client, SUBSCRIBE, subscription_json())

    response = post(client, UNSUBSCRIBE, {"endpoint": FCM})

    assert response.status_code == 200
    subscription = PushSubscription.objects.get()
    assert response.json() == {"id": subscription.pk}
    assert not subscription.active
    assert subscription.deactivation_reason == "unsubscribed"
    assert subscription.deactivated_at is not None
    profile = visitor_profile(response)
    assert profile.snapshot["push_subscriptions"] == 0
    assert event_kinds(profile) == ["consent_recorded", "push_subscribed", "push_unsubscribed"]


def test_unsubscribing_twice_records_it_once(client):
    post(client, SUBSCRIBE, subscription_json())
    post(client, UNSUBSCRIBE, {"endpoint": FCM})

    assert post(client, UNSUBSCRIBE, {"endpoint": FCM}).status_code == 200

    assert Event.objects.filter(kind="push_unsubscribed").count() == 1


def test_the_endpoint_is_enough_to_unsubscribe_from_a_browser_without_its_cookie(client):
    post(client, SUBSCRIBE, subscription_json())
    profile = Profile.objects.get()

    response = post(Client(HTTP_USER_AGENT=DESKTOP_BROWSER), UNSUBSCRIBE, {"endpoint": FCM})

    assert response.status_code == 200
    assert not PushSubscription.objects.get().active
    profile.refresh_from_db()
    assert profile.snapshot["push_subscriptions"] == 0


def test_subscribing_again_after_unsubscribing_reactivates(client):
    post(client, SUBSCRIBE, subscription_json())
    post(client, UNSUBSCRIBE, {"endpoint": FCM})

    assert post(client, SUBSCRIBE, subscription_json()).status_code == 200

    subscription = PushSubscription.objects.get()
    assert subscription.active
    assert (subscription.deactivated_at, subscription.deactivation_reason) == (None, "")
    assert subscription.profile.snapshot["push_subscriptions"] == 1


@pytest.mark.parametrize(
    "payload, status, message",
    [
        ({"endpoint": FCM}, 404, "No push subscription has this endpoint."),
        ({}, 400, "'endpoint' is missing: the URL of the subscription to end."),
        ("[oops", 400, "The body is not JSON."),
    ],
)
def test_unsubscribing_what_is_not_there_is_refused(client, payload, status, message):
    response = post(client, UNSUBSCRIBE, payload)

    assert response.status_code == status
    assert response.json() == {"error": message}
    assert not Event.objects.exists()


# CSRF, switched off, robots


def test_subscribing_needs_the_csrf_token():
    browser = Client(HTTP_USER_AGENT=DESKTOP_BROWSER, enforce_csrf_checks=True)

    assert post(browser, SUBSCRIBE, subscription_json()).status_code == 403
    assert post(browser, UNSUBSCRIBE, {"endpoint": FCM}).status_code == 403
    assert not PushSubscription.objects.exists()

    token = "a" * 32  # what the page's script reads from the csrftoken cookie
    browser.cookies["csrftoken"] = token
    response = post(browser, SUBSCRIBE, subscription_json(), HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


def test_without_a_vapid_key_push_is_off(client, settings):
    settings.OMNI_PUSH_VAPID_PUBLIC_KEY = ""

    response = post(client, SUBSCRIBE, subscription_json())

    assert response.status_code == 404
    assert response.json() == {"error": "Web push is switched off on this site."}
    assert not PushSubscription.objects.exists()


def test_robots_cannot_subscribe():
    robot = Client(HTTP_USER_AGENT="python-requests/2.32")

    response = post(robot, SUBSCRIBE, subscription_json())

    assert response.status_code == 403
    assert response.json() == {
        "error": "Push subscriptions are accepted from visitors' browsers only."
    }
    assert not Profile.objects.exists()


def test_subscribing_is_a_post(client):
    assert client.get(SUBSCRIBE).status_code == 405


# Endpoints: push services only


@pytest.mark.parametrize(
    "endpoint",
    [
        FCM,
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABm-token",
        "https://web.push.apple.com/QGx-token",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAAB-token",
        "https://fcm.googleapis.com:443/fcm/send/token",
    ],
)
def test_the_browsers_push_services_are_accepted(client, endpoint):
    assert post(client, SUBSCRIBE, subscription_json(endpoint)).status_code == 201


@pytest.mark.parametrize(
    "endpoint, message",
    [
        ("http://127.0.0.1/push", "The endpoint's host 127.0.0.1 is a loopback address."),
        ("https://127.0.0.1:8443/push", "The endpoint's host 127.0.0.1 is a loopback address."),
        ("https://10.0.0.5/push", "The endpoint's host 10.0.0.5 is a private address."),
        ("https://192.168.1.20/push", "The endpoint's host 192.168.1.20 is a private address."),
        ("https://169.254.169.254/latest", "The endpoint's host 169.254.169.254 is a link-local address."),
        ("https://[::1]/push", "The endpoint's host ::1 is a loopback address."),
        ("https://[::ffff:10.0.0.1]/push", "The endpoint's host ::ffff:10.0.0.1 is a private address."),
        ("https://8.8.8.8/push", "The endpoint's host 8.8.8.8 is an IP address, not a push service."),
        ("https://evil.example/push", "'evil.example' is not a push service: FCM, Mozilla, Apple or Windows expected."),
        ("https://fcm.googleapis.com.evil.example/x", "'fcm.googleapis.com.evil.example' is not a push service: FCM, Mozilla, Apple or Windows expected."),
        ("https://localhost/push", "'localhost' is not a push service: FCM, Mozilla, Apple or Windows expected."),
        ("http://fcm.googleapis.com/fcm/send/token", "Push services are reached over https://, not http://."),
        ("https://fcm.googleapis.com:8443/fcm/send/token", "Push services use the https port 443, not 8443."),
        ("https://user:secret@fcm.googleapis.com/fcm/send/token", "The endpoint must not hold a user name or password."),
        ("https://evil.example@fcm.googleapis.com/fcm/send/token", "The endpoint must not hold a user name or password."),
        ("ftp://fcm.googleapis.com/token", "The endpoint 'ftp://fcm.googleapis.com/token' is not an https:// URL."),
        ("fcm.googleapis.com/fcm/send/token", "The endpoint 'fcm.googleapis.com/fcm/send/token' is not an https:// URL."),
        ("https://fcm.googleapis.com/fcm/send/to ken", "The endpoint contains spaces or control characters."),
        ("https://fcm.googleapis.com/fcm/send/\ntoken", "The endpoint contains spaces or control characters."),
        ("https://[::1/push", "The endpoint 'https://[::1/push' is not a URL."),
        ("https://fcm.googleapis.com:port/x", "The endpoint 'https://fcm.googleapis.com:port/x' has an invalid port."),
    ],
)  # fmt: skip
def test_endpoints_outside_the_push_services_are_refused(client, endpoint, message):
    response = post(client, SUBSCRIBE, subscription_json(endpoint))

    assert response.status_code == 400
    assert response.json() == {"error": message}
    assert not PushSubscription.objects.exists()
    assert not Profile.objects.exists()


def test_a_host_the_setting_adds_is_accepted_over_http_on_any_port(client, settings):
    settings.OMNI_PUSH_EXTRA_SERVICE_HOSTS = ["localhost"]

    response = post(client, SUBSCRIBE, subscription_json("http://localhost:8090/push/abc"))

    assert response.status_code == 201
    assert PushSubscription.objects.get().endpoint == "http://localhost:8090/push/abc"


def test_the_setting_adds_only_the_hosts_it_names(client, settings):
    settings.OMNI_PUSH_EXTRA_SERVICE_HOSTS = ["localhost"]

    response = post(client, SUBSCRIBE, subscription_json("http://127.0.0.1:8090/push/abc"))

    assert response.status_code == 400
    assert not PushSubscription.objects.exists()


# Malformed subscriptions


def keys_with(**changes):
    return {**browser_keys(), **changes}


NOT_ON_THE_CURVE = b64url_encode(b"\x04" + b"\x01" * 64)
COMPRESSED_POINT = b64url_encode(b"\x02" + b"\x01" * 64)


@pytest.mark.parametrize(
    "payload, message",
    [
        ("{not json", "The body is not JSON."),
        ("[1, 2]", "The body is a JSON object, as PushSubscription.toJSON() gives."),
        ({"keys": browser_keys()}, "'endpoint' is missing: the URL of the browser's push service."),
        ({"endpoint": 7, "keys": browser_keys()}, "'endpoint' is missing: the URL of the browser's push service."),
        ({"endpoint": FCM + "x" * 2100, "keys": browser_keys()}, "'endpoint' is longer than 2048 characters."),
        ({"endpoint": FCM}, "'keys' is missing: an object with 'p256dh' and 'auth'."),
        ({"endpoint": FCM, "keys": "p256dh"}, "'keys' is missing: an object with 'p256dh' and 'auth'."),
        ({"endpoint": FCM, "keys": keys_with(p256dh=None)}, "'keys.p256dh' is missing."),
        ({"endpoint": FCM, "keys": {"p256dh": browser_keys()["p256dh"]}}, "'keys.auth' is missing."),
        ({"endpoint": FCM, "keys": keys_with(p256dh="not+base64/url")}, "'keys.p256dh' is not base64url."),
        ({"endpoint": FCM, "keys": keys_with(auth="abcde")}, "'keys.auth' is not base64url."),
        ({"endpoint": FCM, "keys": keys_with(p256dh=b64url_encode(b"\x04" * 33))}, "'keys.p256dh' holds 33 bytes; a browser's p256dh key has 65."),
        ({"endpoint": FCM, "keys": keys_with(auth=b64url_encode(b"a" * 8))}, "'keys.auth' holds 8 bytes; a browser's auth key has 16."),
        ({"endpoint": FCM, "keys": keys_with(p256dh=NOT_ON_THE_CURVE)}, "'keys.p256dh' is not a P-256 public key."),
        ({"endpoint": FCM, "keys": keys_with(p256dh=COMPRESSED_POINT)}, "'keys.p256dh' is not a P-256 public key."),
        ({"endpoint": FCM, "keys": browser_keys(), "expirationTime": "soon"}, "'expirationTime' is null or milliseconds since 1970, not 'soon'."),
        ({"endpoint": FCM, "keys": browser_keys(), "expirationTime": 1e300}, "'expirationTime' is null or milliseconds since 1970, not 1e+300."),
        ({"endpoint": FCM, "keys": browser_keys(), "expirationTime": 1000}, "'expirationTime' has passed: the subscription has expired."),
    ],
)  # fmt: skip
def test_malformed_subscriptions_are_refused(client, payload, message):
    response = post(client, SUBSCRIBE, payload)

    assert response.status_code == 400
    assert response.json() == {"error": message}
    assert not PushSubscription.objects.exists()
    assert not Profile.objects.exists()


def test_an_oversized_subscription_is_refused(client):
    payload = subscription_json(padding="x" * 4096)

    response = post(client, SUBSCRIBE, payload)

    assert response.status_code == 400
    assert response.json() == {"error": "The body is too large: at most 4096 bytes."}
    assert not PushSubscription.objects.exists()


def test_a_refused_subscription_leaves_an_existing_one_alone(client):
    original = subscription_json()
    post(client, SUBSCRIBE, original)

    response = post(client, SUBSCRIBE, {"endpoint": FCM, "keys": keys_with(auth="abcde")})

    assert response.status_code == 400
    assert PushSubscription.objects.get().auth == original["keys"]["auth"]
