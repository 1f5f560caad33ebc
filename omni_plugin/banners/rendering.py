"""Slots and banners rendered for a request, with templates a shop can override.

Each kind of content has its template, ``omni/banners/<kind>.html``, given ``banner``,
``variant``, ``content`` and either ``href`` (a creative's link, through the click
redirect) or ``items`` (products, each with its ``href``). A slot wraps what it shows in
``omni/banners/slot.html``. An unknown or empty slot renders nothing, and so does a
banner that fails: the error is logged and the page is served without it.
"""

import logging

from django.template.loader import render_to_string
from oscar.core.loading import get_model

from omni_plugin.conf import omni_settings

from . import edge, tracking
from .capping import count_view
from .choice import choose
from .compiled import live_banners
from .content import CREATIVE, providers

SLOT_TEMPLATE = "omni/banners/slot.html"
INLINE = "inline"
#: Variants with no products to show are passed over, this many times at most.
MAX_TRIES = 3

logger = logging.getLogger(__name__)


def render_slot(request, key, product=None):
    """The HTML of the slot ``key`` for the request's visitor; "" when it shows nothing.

    In the ``esi`` and ``js`` render modes, the placeholder the edge or a script fills.
    """
    mode = live_banners().slot_modes.get(key) or omni_settings.SLOT_RENDER_MODE
    if mode != INLINE:
        return edge.placeholder(request, mode, edge.slot_fragment_url(key, page_product(product)))
    html = _render_first(request, key, product)
    if not html:
        return ""
    return wrap_slot(key, html)


def wrap_slot(key, html):
    return render_to_string(SLOT_TEMPLATE, {"key": key, "banner_html": html})


def render_placed_slot(request, slot_id, product=None):
    """``render_slot`` for a slot given by its id, as a page's banner block holds it."""
    key = live_banners().slot_keys.get(slot_id)
    return render_slot(request, key, product) if key else ""


def render_banner(request, banner, product=None):
    """The HTML of one banner (a ``Banner`` or its id) for the request's visitor, or ""."""
    if omni_settings.SLOT_RENDER_MODE != INLINE:
        banner_id = getattr(banner, "pk", banner)
        url = edge.banner_fragment_url(banner_id, page_product(product))
        return edge.placeholder(request, omni_settings.SLOT_RENDER_MODE, url)
    return _render_first(request, banner, product)


def choose_and_render(request, target, product=None, visitor=None):
    """(HTML, ``Choice``) for a slot key or banner, or ("", None); nothing is counted.

    Variants with no products to show are passed over. ``visitor`` (a ``KeyedVisitor``)
    chooses for a variant key instead of the request's visitor.
    """
    skip = set()
    for _ in range(MAX_TRIES):
        choice = choose(target, request, skip=skip, visitor=visitor)
        if choice is None:
            return "", None
        html = render_variant(
            request,
            choice.banner,
            choice.variant,
            product=product,
            variant_id=choice.variant_id,
        )
        if html:
            return html, choice
        skip.add((choice.banner.id, choice.variant.id))
    return "", None


def page_product(product):
    """``product`` when it is an Oscar product (a template's ``product`` may be anything)."""
    return product if isinstance(product, get_model("catalogue", "Product")) else None


def _render_first(request, target, product):
    try:
        html, choice = choose_and_render(request, target, page_product(product))
        if html:
            count_view(request, choice.banner)
            tracking.note_impression(request, choice.banner.id, choice.variant_id)
        return html
    except Exception:  # a banner must never take the shop's page down
        logger.exception("Banners for %r could not be rendered.", target)
    return ""


def render_variant(request, banner, variant, *, product=None, variant_id=None, track=True):
    """The HTML of a compiled variant, "" when it has nothing to show.

    ``track`` False (a preview) links straight to the destinations.
    """
    variant_id = variant_id or variant.id

    def href(link):
        if not link or not track:
            return link
        return tracking.click_url(request, banner.id, variant_id, link)

    # The request without context processors: they would run again for every banner.
    context = {"request": request, "banner": banner, "variant": variant, "content": variant.content}
    if variant.kind == CREATIVE:
        context["href"] = href(variant.content["link"])
    else:
        if not providers.can_show(variant.kind):
            return ""
        found = providers.products(variant.kind, request, variant.content, product=product)
        if not found:
            return ""
        context["items"] = [
            {
                "product": item.product,
                "reason": getattr(item, "reason", ""),
                "href": href(item.product.get_absolute_url()),
            }
            for item in found
        ]
    return render_to_string(f"omni/banners/{variant.kind}.html", context)
