"""The web push opt-in prompt.

{% load omni_push %}
{% omni_push_prompt %}
"""

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from omni_plugin.conf import omni_settings

register = template.Library()


@register.inclusion_tag("omni/push/prompt.html")
def omni_push_prompt():
    """The site's own opt-in banner, hidden until its script decides to show it.

    It is the same for every visitor (no CSRF token, nothing personal), so that pages with
    it stay cacheable at the edge; nothing at all while web push is off.
    """
    if not omni_settings.ENABLED or not omni_settings.PUSH_VAPID_PUBLIC_KEY:
        return {"enabled": False}
    try:
        service_worker_url = reverse("omni_push_service_worker")
    except NoReverseMatch:
        return {"enabled": False}  # check omni.E017 tells the shop's developer
    return {
        "enabled": True,
        "config_url": reverse("omni:push_config"),
        "service_worker_url": service_worker_url,
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        "after_pages": omni_settings.PUSH_PROMPT_AFTER_PAGES,
        "snooze_days": omni_settings.PUSH_PROMPT_SNOOZE_DAYS,
    }
