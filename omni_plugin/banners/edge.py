"""Placeholders for slots served from the edge: an ESI include, or an element a script fills.

The page then holds nothing of the visitor's: the edge (``esi``) or the browser (``js``)
fetches the slot's fragment, which is cached per variant key
(``omni_plugin.banners.fragment_views``); slots of visitor-specific products have URLs of their own,
which the edge passes on to the shop with the visitor's cookies. The first placeholder of a page also brings the script
that reports which banners were shown and, in ``js`` mode, fetches the fragments.
"""

from urllib.parse import urlencode

from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

from omni_plugin.conf import omni_settings

from .compiled import live_banners

ESI = "esi"
_PLACEHOLDER_MODES = f"{__name__}.placeholder_modes"


def slot_fragment_url(key, product=None):
    personal = is_personal(live_banners().banners_of_slot(key))
    name = "omni:banner_slot_personal" if personal else "omni:banner_slot_fragment"
    return _with_product(reverse(name, args=[key]), product)


def banner_fragment_url(banner_id, product=None):
    banner = live_banners().banners.get(banner_id)
    personal = is_personal([banner] if banner else [])
    name = "omni:banner_personal" if personal else "omni:banner_fragment"
    return _with_product(reverse(name, args=[banner_id]), product)


def is_personal(banners):
    """Whether what the banners may show depends on the visitor, beyond their variant key."""
    return any(variant.personal for banner in banners for variant in banner.all_variants)


def _with_product(url, product):
    return f"{url}?{urlencode({'product': product.pk})}" if product else url


def placeholder(request, mode, url):
    """The HTML standing for a fragment at ``url`` on the page, in ``mode`` (esi or js)."""
    omni = getattr(request, "omni", None)
    if omni is None:
        return ""
    script = ""
    if not omni.memo_made(_PLACEHOLDER_MODES):
        script = format_html(
            '<script src="{}" defer data-shown="{}" data-key-cookie="{}"></script>',
            static("omni/banners/edge.js"),
            reverse("omni:banners_shown"),
            omni_settings.VARIANT_KEY_COOKIE_NAME,
        )
    omni.memo(_PLACEHOLDER_MODES, set).add(mode)
    if mode == ESI:
        element = format_html('<esi:include src="{}" onerror="continue"/>', url)
    else:
        element = format_html('<div class="omni-fragment" data-omni-fragment="{}"></div>', url)
    return format_html("{}{}", script, element)


def mark_esi_page(request, response):
    """Tell the edge to process the page's ESI includes (a response hook)."""
    omni = getattr(request, "omni", None)
    if omni is not None and ESI in omni.memo(_PLACEHOLDER_MODES, set):
        response["Surrogate-Control"] = 'content="ESI/1.0"'
