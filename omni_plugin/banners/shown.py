"""What the page's script reports it showed: the impressions of fragments from the edge.

A fragment served from a cache never reaches the shop, so the page posts the
``data-omni-shown`` values of its fragments (``banner id:variant id``) to
``omni:banners_shown``. Each counts as an impression and a view towards the banner's
frequency cap; the response refreshes the visitor's variant key.
"""

import json

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from omni_plugin.core.beacon import same_origin

from .capping import count_view
from .compiled import live_banners
from .models import HOLDOUT
from .tracking import note_impression

#: A page shows a handful of slots; more is not a page.
MAX_SHOWN = 20
MAX_BODY = 2048


class BadReport(ValueError):
    pass


def shown_banners(payload):
    """The (banner, variant id) pairs a report names, each live; ``BadReport`` otherwise."""
    shown = payload.get("shown") if isinstance(payload, dict) else None
    if not isinstance(shown, list) or not shown or len(shown) > MAX_SHOWN:
        raise BadReport(
            _("The report is a JSON object whose 'shown' lists 1 to %(max)s banners.")
            % {"max": MAX_SHOWN}
        )
    banners = live_banners().banners
    pairs = []
    for value in shown:
        banner_id, _sep, variant_id = str(value).partition(":")
        banner = banners.get(int(banner_id)) if banner_id.isdigit() else None
        if banner is None:
            raise BadReport(_("%(value)r is not a live banner.") % {"value": value})
        known = {variant.id for variant in banner.all_variants} | {HOLDOUT}
        if variant_id not in known:
            raise BadReport(_("%(value)r is not a variant of that banner.") % {"value": value})
        pairs.append((banner, variant_id))
    return pairs


# Pages served from a cache hold no CSRF token; the browser's Origin header proves the
# report comes from our pages, as for the beacon.
@csrf_exempt
@require_POST
def banners_shown(request):
    if not same_origin(request):
        return JsonResponse(
            {"error": _("Reports are accepted from this site's pages only.")}, status=403
        )
    if len(request.body) > MAX_BODY:
        return JsonResponse(
            {"error": _("A report is at most %(n)s bytes.") % {"n": MAX_BODY}}, status=400
        )
    try:
        pairs = shown_banners(json.loads(request.body))
    except ValueError as error:  # BadReport, or a body that is not JSON
        message = str(error) if isinstance(error, BadReport) else _("The report is not JSON.")
        return JsonResponse({"error": message}, status=400)
    for banner, variant_id in pairs:
        count_view(request, banner)
        note_impression(request, banner.id, variant_id)
    return HttpResponse(status=204)
