from django import template

from ..segmenting import previewed_segment

register = template.Library()


@register.inclusion_tag("omni/personalization/preview_bar.html", takes_context=True)
def omni_preview_bar(context):
    """A bar telling a staff member which segment they see the site as, with a way out."""
    request = context.get("request")
    preview = previewed_segment(request) if request is not None else None
    return {"preview": preview, "request": request}
