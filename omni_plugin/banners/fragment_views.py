"""Slot and banner fragments for the edge: the same for every visitor with the same key.

A fragment is chosen for the visitor the variant key describes (``vk`` parameter in
``js`` mode, else the cookie), never for the visitor's own profile, so the edge may
share it; it carries the cache lifetimes and the ``Surrogate-Key`` tags that purging
bans, and no cookie. A slot whose banners show visitor-specific products (recently
viewed, recommendations) is rendered for the visitor and marked private instead; its
page links to it under ``personal/``, which the edge passes on with the visitor's cookies.
"""

from datetime import timedelta

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from oscar.core.loading import get_model

from omni_plugin.conf import omni_settings

from .choice import KeyedVisitor, candidates
from .compiled import live_banners
from .edge import is_personal
from .purging import banner_tag, slot_tag
from .rendering import choose_and_render, wrap_slot
from .variant_key import key_from_request


@require_safe
def slot_fragment(request, key):
    return _fragment(request, key, lambda html: wrap_slot(key, html), [slot_tag(key)])


@require_safe
def banner_fragment(request, banner_id):
    return _fragment(request, banner_id, lambda html: html, [])


def _fragment(request, target, wrap, tags):
    try:
        product = _product(request.GET.get("product"))
    except ValueError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    request.omni.sets_cookies = False
    banners = candidates(live_banners(recheck=True), target)
    personal = is_personal(banners)
    visitor = None if personal else KeyedVisitor(key_from_request(request))
    html, choice = choose_and_render(request, target, product, visitor=visitor)
    if choice is not None:
        shown = f"{choice.banner.id}:{choice.variant_id}"
        html = format_html('<div data-omni-shown="{}">{}</div>', shown, wrap(html))
    response = HttpResponse(html)
    if personal:
        response["Cache-Control"] = "private, no-store"
        return response
    edge_ttl = _edge_ttl(banners, visitor.now)
    response["Cache-Control"] = (
        f"public, max-age={min(omni_settings.FRAGMENT_BROWSER_TTL, edge_ttl)}, s-maxage={edge_ttl}"
    )
    response["Surrogate-Control"] = f"max-age={edge_ttl}"
    response["Surrogate-Key"] = " ".join(tags + [banner_tag(banner.id) for banner in banners])
    return response


def _product(value):
    if value is None:
        return None
    if not value.isdigit():
        raise ValueError(_("The product parameter must be a product's id."))
    product = get_model("catalogue", "Product").objects.filter(pk=value).first()
    if product is None:
        raise Http404(_("There is no product with the id %(id)s.") % {"id": value})
    return product


def _edge_ttl(banners, now):
    """The configured lifetime, cut short by the next schedule change or local hour change."""
    seconds = omni_settings.FRAGMENT_EDGE_TTL
    changes = [
        moment
        for banner in banners
        for moment in (banner.go_live_at, banner.expire_at)
        if moment and moment > now
    ]
    if any(
        name == "local_time"
        for banner in banners
        for variant in banner.all_variants
        for name, _params in variant.targeting.conditions
    ):
        # Local hours start on the quarter hour in every time zone.
        quarter = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
        changes.append(quarter + timedelta(minutes=15))
    for moment in changes:
        seconds = min(seconds, max(1, int((moment - now).total_seconds())))
    return seconds
