"""The beacon: events a page reports from the browser, for what no server signal sees.

Wagtail pages may be served from a cache that never reaches the shop, so the page itself
reports that it was viewed (``static/omni/core/beacon.js``).
"""

import json
from urllib.parse import urlsplit

from django.apps import apps
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .events import record

MAX_BODY = 2048


class BeaconError(ValueError):
    pass


def _page_viewed(payload):
    page_id = payload.get("page")
    if isinstance(page_id, bool) or not isinstance(page_id, int):
        raise BeaconError("page_viewed needs the page's id as a number in 'page'.")
    Page = apps.get_model("wagtailcore", "Page")  # resolved late: checks run without Wagtail
    page = Page.objects.live().filter(pk=page_id).values("id", "url_path").first()
    if page is None:
        raise BeaconError(f"There is no live page with the id {page_id}.")
    return {"data": {"page_id": page["id"], "url_path": page["url_path"]}}


HANDLERS = {"page_viewed": _page_viewed}


def same_origin(request):
    """Whether the browser says the request comes from one of this site's own pages."""
    origin = request.headers.get("Origin")
    if origin:
        return urlsplit(origin).netloc == request.get_host()
    return request.headers.get("Sec-Fetch-Site") == "same-origin"


def _error(message, status=400):
    return JsonResponse({"error": message}, status=status)


# navigator.sendBeacon cannot send the CSRF header and edge-cached pages hold no token;
# the browser's Origin / Sec-Fetch-Site headers prove the request comes from our pages.
@csrf_exempt
@require_POST
def beacon(request):
    if not same_origin(request):
        return _error("Beacons are accepted from this site's own pages only.", status=403)
    if len(request.body) > MAX_BODY:
        return _error(f"A beacon is at most {MAX_BODY} bytes.")
    try:
        payload = json.loads(request.body)
    except ValueError:
        return _error("The beacon's body is not JSON.")
    if not isinstance(payload, dict):
        return _error("The beacon's body is a JSON object with a 'kind'.")
    kind = payload.get("kind")
    if kind not in HANDLERS:
        return _error(f"Unknown event kind {kind!r}; expected one of {', '.join(HANDLERS)}.")
    try:
        fields = HANDLERS[kind](payload)
    except BeaconError as error:
        return _error(str(error))
    record(kind, request=request, **fields)
    return HttpResponse(status=204)
