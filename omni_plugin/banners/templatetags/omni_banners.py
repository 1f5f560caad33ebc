"""Banner slots in templates; the page's ``product``, if any, feeds product strips.

{% load omni_banners %}
{% omni_slot "home-hero" %}
{% omni_banner banner %}
"""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def omni_slot(context, key, product=None):
    """The slot's banner for the visitor; nothing for an unknown or empty slot."""
    from ..rendering import render_slot

    request = context.get("request")
    if request is None:
        return ""
    return render_slot(request, str(key), product=product or context.get("product"))


@register.simple_tag(takes_context=True)
def omni_banner(context, banner, product=None):
    """One banner (a ``Banner`` or its id) for the visitor; nothing when it is not live."""
    from ..rendering import render_banner

    request = context.get("request")
    if request is None or banner in (None, ""):
        return ""
    return render_banner(request, banner, product=product or context.get("product"))


@register.simple_tag(takes_context=True)
def omni_banner_preview(context, banner, variant):
    """A banner's variant (a child of its ``variants``) as it would show, with no tracking."""
    from ..compiled import compile_banner, compile_variant
    from ..rendering import render_variant

    return render_variant(
        context["request"], compile_banner(banner), compile_variant(variant), track=False
    )
