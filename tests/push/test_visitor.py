"""The visitor's side of web push: the service worker served from the site's root, the
receipts it reports, the subscription it renews, the prompt's configuration and the
prompt itself, which is the same for every visitor so that pages stay cacheable."""

import json
import os

import pytest
from conftest import DESKTOP_BROWSER
from django.template import Context, Template
from django.test import Client
from django.urls import include, path

from omni_plugin.core.models import Event, Profile
from omni_plugin.push.models import Delivery, PushSubscription
from omni_plugin.push.receipts import receipt_for
from omni_plugin.push.vapid import b64url_encode, generate_keys

pytestmark = pytest.mark.django_db

SERVICE_WORKER, CONFIG = "/omni-push-sw.js", "/omni/push/config/"
RECEIPTS, RESUBSCRIBE = "/omni/push/receipts/", "/omni/push/resubscribe/"
OLD_ENDPOINT = "https://fcm.googleapis.com/fcm/send/old-token"
NEW_ENDPOINT = "https://fcm.googleapis.com/fcm/send/new-token"


@pytest.fixture(autouse=True)
def push_on(settings):
    settings.OMNI_PUSH_VAPID_PUBLIC_KEY, settings.OMNI_PUSH_VAPID_PRIVATE_KEY = generate_keys()


@pytest.fixture
def service_worker_client():
    """Requests from the service worker carry no CSRF token."""
    return Client(HTTP_USER_AGENT=DESKTOP_BROWSER, enforce_csrf_checks=True)


def browser_keys():
    public_key, _ = generate_keys()
    return {"p256dh": public_key, "auth": b64url_encode(os.urandom(16))}


def make_subscription(endpoint=OLD_ENDPOINT, **fields):
    keys = browser_keys()
    return PushSubscription.objects.create(
        profile=Profile.objects.create(),
        endpoint=endpoint,
        p256dh=keys["p256dh"],
        auth=keys["auth"],
        device="desktop",
        **fields,
    )


@pytest.fixture
def delivery():
    return Delivery.objects.create(
        subscription=make_subscription(), status=Delivery.Status.DELIVERED
    )


def post(client, url, payload):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(url, body, content_type="application/json")


# The service worker


def test_the_service_worker_is_served_from_the_root_for_the_whole_site(client):
    response = client.get(SERVICE_WORKER)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    urls = {"receipts": RECEIPTS, "resubscribe": RESUBSCRIBE, "config": CONFIG}
    assert script.startswith(f"self.omniPush = {json.dumps(urls)};\n")
    for event in ("push", "notificationclick", "pushsubscriptionchange"):
        assert f'addEventListener("{event}"' in script


def test_an_unchanged_service_worker_is_not_sent_again(client):
    etag = client.get(SERVICE_WORKER)["ETag"]

    assert client.get(SERVICE_WORKER, HTTP_IF_NONE_MATCH=etag).status_code == 304


# Receipts


def test_a_shown_receipt_is_recorded(service_worker_client, delivery):
    response = post(
        service_worker_client, RECEIPTS, {"receipt": receipt_for(delivery.pk), "event": "shown"}
    )

    assert response.status_code == 204
    delivery.refresh_from_db()
    assert delivery.shown_at is not None
    assert delivery.clicked_at is None


def test_a_click_implies_the_push_was_shown_and_is_recorded_on_the_profile(
    service_worker_client, delivery
):
    response = post(
        service_worker_client, RECEIPTS, {"receipt": receipt_for(delivery.pk), "event": "clicked"}
    )

    assert response.status_code == 204
    delivery.refresh_from_db()
    assert delivery.clicked_at is not None
    assert delivery.shown_at == delivery.clicked_at
    event = Event.objects.get(kind="push_clicked")
    assert event.profile_id == delivery.subscription.profile_id
    assert (event.channel, event.data) == ("push", {"delivery": delivery.pk})


def test_a_receipt_twice_keeps_the_first_time(service_worker_client, delivery):
    receipt = receipt_for(delivery.pk)
    post(service_worker_client, RECEIPTS, {"receipt": receipt, "event": "shown"})
    post(service_worker_client, RECEIPTS, {"receipt": receipt, "event": "clicked"})
    delivery.refresh_from_db()
    first_shown, first_clicked = delivery.shown_at, delivery.clicked_at

    for event in ("shown", "clicked"):
        response = post(service_worker_client, RECEIPTS, {"receipt": receipt, "event": event})
        assert response.status_code == 204

    delivery.refresh_from_db()
    assert (delivery.shown_at, delivery.clicked_at) == (first_shown, first_clicked)
    assert Event.objects.filter(kind="push_clicked").count() == 1


def test_a_receipt_is_short(delivery):
    assert len(receipt_for(delivery.pk)) < 50


def tampered(delivery):
    """The receipt of another delivery with this one's signature."""
    other_id, _ = receipt_for(delivery.pk + 1).split(":")
    _, signature = receipt_for(delivery.pk).split(":")
    return f"{other_id}:{signature}"


@pytest.mark.parametrize(
    "payload, message",
    [
        (lambda d: {"receipt": tampered(d), "event": "shown"}, "The receipt is not one this shop signed."),
        (lambda d: {"receipt": "1:forged", "event": "clicked"}, "The receipt is not one this shop signed."),
        (lambda d: {"receipt": str(d.pk), "event": "clicked"}, "The receipt is not one this shop signed."),
        (lambda d: {"event": "shown"}, "'receipt' is missing: the token the push carried."),
        (lambda d: {"receipt": receipt_for(d.pk), "event": "closed"}, "'event' is 'shown' or 'clicked', not 'closed'."),
        (lambda d: {"receipt": receipt_for(d.pk + 1), "event": "shown"}, "The receipt names a push that is no longer kept."),
        (lambda d: "{not json", "The body is not JSON."),
    ],
)  # fmt: skip
def test_a_bad_receipt_is_refused_and_changes_nothing(
    service_worker_client, delivery, payload, message
):
    response = post(service_worker_client, RECEIPTS, payload(delivery))

    assert response.status_code == 400
    assert response.json() == {"error": message}
    delivery.refresh_from_db()
    assert (delivery.shown_at, delivery.clicked_at) == (None, None)
    assert not Event.objects.exists()


def test_receipts_are_posted(client):
    assert client.get(RECEIPTS).status_code == 405


# Resubscribing


def renewed(endpoint=NEW_ENDPOINT, **changes):
    return {"endpoint": endpoint, "expirationTime": None, "keys": browser_keys(), **changes}


def test_a_renewed_subscription_moves_to_the_new_endpoint(service_worker_client):
    subscription = make_subscription()
    new = renewed()

    response = post(
        service_worker_client, RESUBSCRIBE, {"old_endpoint": OLD_ENDPOINT, "subscription": new}
    )

    assert response.status_code == 200
    assert response.json() == {"id": subscription.pk}
    moved = PushSubscription.objects.get()
    assert (moved.pk, moved.profile_id, moved.endpoint, moved.p256dh, moved.auth) == (
        subscription.pk,
        subscription.profile_id,
        NEW_ENDPOINT,
        new["keys"]["p256dh"],
        new["keys"]["auth"],
    )


def test_a_subscription_the_push_service_reported_gone_is_active_again(service_worker_client):
    make_subscription(active=False, deactivation_reason="gone")

    post(
        service_worker_client,
        RESUBSCRIBE,
        {"old_endpoint": OLD_ENDPOINT, "subscription": renewed()},
    )

    moved = PushSubscription.objects.get()
    assert (moved.active, moved.deactivation_reason) == (True, "")
    assert Event.objects.get().kind == "push_subscribed"


def test_a_subscription_the_visitor_ended_stays_ended(service_worker_client):
    make_subscription(active=False, deactivation_reason="unsubscribed")

    post(
        service_worker_client,
        RESUBSCRIBE,
        {"old_endpoint": OLD_ENDPOINT, "subscription": renewed()},
    )

    moved = PushSubscription.objects.get()
    assert (moved.endpoint, moved.active) == (NEW_ENDPOINT, False)


def test_an_unknown_old_endpoint_is_not_found(service_worker_client):
    response = post(
        service_worker_client,
        RESUBSCRIBE,
        {"old_endpoint": OLD_ENDPOINT, "subscription": renewed()},
    )

    assert response.status_code == 404
    assert response.json() == {"error": "No push subscription has this endpoint."}
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "payload, message",
    [
        ({"subscription": renewed()}, "'old_endpoint' is missing: the endpoint that was renewed."),
        ({"old_endpoint": OLD_ENDPOINT}, "'subscription' is missing: the new subscription's toJSON()."),
        ({"old_endpoint": OLD_ENDPOINT, "subscription": renewed("https://evil.example/push")}, "'evil.example' is not a push service: FCM, Mozilla, Apple or Windows expected."),
        ({"old_endpoint": OLD_ENDPOINT, "subscription": renewed(keys={"p256dh": "x"})}, "'keys.p256dh' is not base64url."),
        ({"old_endpoint": OLD_ENDPOINT, "subscription": renewed(OLD_ENDPOINT + "-taken")}, "Another push subscription already has the new endpoint."),
    ],
)  # fmt: skip
def test_an_invalid_renewal_is_refused_and_changes_nothing(service_worker_client, payload, message):
    subscription = make_subscription()
    make_subscription(OLD_ENDPOINT + "-taken")

    response = post(service_worker_client, RESUBSCRIBE, payload)

    assert response.status_code == 400
    assert response.json() == {"error": message}
    kept = PushSubscription.objects.get(pk=subscription.pk)
    assert (kept.endpoint, kept.p256dh, kept.auth) == (
        OLD_ENDPOINT,
        subscription.p256dh,
        subscription.auth,
    )


# The prompt's configuration


def test_the_configuration_is_never_cached_and_sets_the_csrf_cookie(client, settings):
    response = client.get(CONFIG)

    assert response.status_code == 200
    assert response.json() == {
        "publicKey": settings.OMNI_PUSH_VAPID_PUBLIC_KEY,
        "subscribeUrl": "/omni/push/subscribe/",
        "unsubscribeUrl": "/omni/push/unsubscribe/",
    }
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert response.cookies[settings.CSRF_COOKIE_NAME].value


def test_without_a_vapid_key_there_is_no_configuration(client, settings):
    settings.OMNI_PUSH_VAPID_PUBLIC_KEY = ""

    response = client.get(CONFIG)

    assert response.status_code == 404
    assert response.json() == {"error": "Web push is switched off on this site."}


# The prompt


def render_prompt(**context):
    return Template("{% load omni_push %}{% omni_push_prompt %}").render(Context(context))


def test_the_prompt_asks_and_is_the_same_for_every_visitor(settings):
    html = render_prompt(csrf_token="first-visitors-token", user="ada@example.com")

    assert html == render_prompt(csrf_token="second-visitors-token", user="bob@example.com")
    assert "Get notified about offers and restocks?" in html
    assert 'data-config="/omni/push/config/"' in html
    assert 'data-service-worker="/omni-push-sw.js"' in html
    assert f'data-csrf-cookie="{settings.CSRF_COOKIE_NAME}"' in html
    assert 'data-after-pages="2"' in html and 'data-snooze-days="30"' in html
    assert "visitors-token" not in html and "ada@" not in html


def test_without_a_vapid_key_the_prompt_is_not_there(settings):
    settings.OMNI_PUSH_VAPID_PUBLIC_KEY = ""

    assert render_prompt().strip() == ""


#: A shop that mounted the plugin's URLs but not those at the site's root.
urlpatterns = [path("omni/", include("omni_plugin.urls"))]


def test_without_the_service_worker_url_the_prompt_stays_away_and_the_page_renders(settings):
    # Check omni.E017 tells the shop's developer what to add (tests/hub/test_checks.py).
    settings.ROOT_URLCONF = __name__

    assert "data-omni-push-prompt" not in render_prompt()


def test_the_shops_pages_carry_the_prompt(client):
    response = client.get("/shop/", follow=True)

    assert response.status_code == 200
    assert b"data-omni-push-prompt" in response.content
    assert b"omni/push/prompt.js" in response.content
