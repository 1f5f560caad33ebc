from django import template

register = template.Library()


@register.inclusion_tag("omni/core/beacon.html")
def omni_beacon(page=None):
    """The beacon script; given a Wagtail page, it reports that the page was viewed."""
    return {"page_id": getattr(page, "pk", None)}
