"""Where the opt-in prompt sends the browser's push subscription, and takes it back."""

from django.http import JsonResponse
from django.views.decorators.http import require_POST

from omni_plugin.conf import omni_settings

from .subscriptions import (
    InvalidSubscription,
    UnknownSubscription,
    parse_body,
    read_subscription,
    subscribe,
    unsubscribe,
)


def _error(message, status=400):
    return JsonResponse({"error": message}, status=status)


# Both views are CSRF-protected: the page's script sends the token in X-CSRFToken.
@require_POST
def push_subscribe(request):
    if not omni_settings.PUSH_VAPID_PUBLIC_KEY or not hasattr(request, "omni"):
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
