"""Where the opt-in prompt sends the browser's push subscription, and takes it back; what
the service worker is served from and reports to."""

import json

from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_POST

from omni_plugin.conf import omni_settings

from .receipts import InvalidReceipt, record_receipt
from .subscriptions import (
    InvalidSubscription,
    UnknownSubscription,
    parse_body,
    read_subscription,
    resubscribe,
    subscribe,
    unsubscribe,
)

SERVICE_WORKER = "omni/push/service-worker.js"


def _error(message, status=400):
    return JsonResponse({"error": message}, status=status)


def _push_is_off(request):
    return not omni_settings.PUSH_VAPID_PUBLIC_KEY or not hasattr(request, "omni")


# Both views are CSRF-protected: the page's script sends the token in X-CSRFToken.
@require_POST
def push_subscribe(request):
    if _push_is_off(request):
        return _error("Web push is switched off on this site.", status=404)
    if not request.omni.trackable:
        return _error("Push subscriptions are accepted from visitors' browsers only.", status=403)
    try:
        data = read_subscription(parse_body(request.body))
    except InvalidSubscription as refusal:
        return _error(str(refusal))
    subscription, created = subscribe(request, data)
    return JsonResponse({"id": subscription.pk}, status=201 if created else 200)


@require_POST
def push_unsubscribe(request):
    try:
        payload = parse_body(request.body)
    except InvalidSubscription as refusal:
        return _error(str(refusal))
    endpoint = payload.get("endpoint")
    if not isinstance(endpoint, str) or not endpoint:
        return _error("'endpoint' is missing: the URL of the subscription to end.")
    try:
        subscription = unsubscribe(request, endpoint)
    except UnknownSubscription as unknown:
        return _error(str(unknown), status=404)
    return JsonResponse({"id": subscription.pk})


@require_GET
@ensure_csrf_cookie
def push_config(request):
    """What the prompt's script needs; never cached, as it sets the visitor's CSRF cookie."""
    if _push_is_off(request):
        return _error("Web push is switched off on this site.", status=404)
    response = JsonResponse(
        {
            "publicKey": omni_settings.PUSH_VAPID_PUBLIC_KEY,
            "subscribeUrl": reverse("omni:push_subscribe"),
            "unsubscribeUrl": reverse("omni:push_unsubscribe"),
        }
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


# The service worker has no CSRF token: the signed receipt, or the old endpoint, is the proof.
@csrf_exempt
@require_POST
def push_receipt(request):
    try:
        payload = parse_body(request.body)
        record_receipt(payload.get("receipt"), payload.get("event"))
    except (InvalidSubscription, InvalidReceipt) as refusal:
        return _error(str(refusal))
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def push_resubscribe(request):
    if _push_is_off(request):
        return _error("Web push is switched off on this site.", status=404)
    try:
        payload = parse_body(request.body)
        old_endpoint = payload.get("old_endpoint")
        if not isinstance(old_endpoint, str) or not old_endpoint:
            raise InvalidSubscription("'old_endpoint' is missing: the endpoint that was renewed.")
        if not isinstance(payload.get("subscription"), dict):
            raise InvalidSubscription("'subscription' is missing: the new subscription's toJSON().")
        data = read_subscription(payload["subscription"])
        subscription = resubscribe(request, old_endpoint, data)
    except InvalidSubscription as refusal:
        return _error(str(refusal))
    except UnknownSubscription as unknown:
        return _error(str(unknown), status=404)
    return JsonResponse({"id": subscription.pk})


@require_GET
def service_worker(request):
    """The service worker, from the site's root so that its scope can be the whole site.

    The shop's URLs of the plugin come first in the script; browsers check it for changes
    on every visit (``no-cache``), and an unchanged script costs them a 304.
    """
    urls = {
        "receipts": reverse("omni:push_receipt"),
        "resubscribe": reverse("omni:push_resubscribe"),
        "config": reverse("omni:push_config"),
    }
    with open(finders.find(SERVICE_WORKER), encoding="utf-8") as script:
        source = f"self.omniPush = {json.dumps(urls)};\n{script.read()}"
    response = HttpResponse(source, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], response=response)
