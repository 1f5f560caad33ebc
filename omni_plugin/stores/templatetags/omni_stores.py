"""A product's stock in the stores, and the back-in-stock alert form, on its page.

{% load omni_stores %}
{% omni_store_availability product %}
{% omni_stock_alert_form product as alert_form %}
"""

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("omni/stores/availability_placeholder.html")
def omni_store_availability(product):
    """A placeholder that the page's script fills with the product's stock in the stores.

    It is the same for every visitor, so that the page stays cacheable at the edge;
    without JavaScript it links to the store locator.
    """
    return {
        "fragment_url": reverse("omni:store_availability", args=[product.pk]),
        "locator_url": reverse("omni:store_locator"),
    }


@register.simple_tag(takes_context=True)
def omni_stock_alert_form(context, product):
    """The plugin's "Tell me when it's back" form for a product the web shop cannot sell
    now, when it takes over Oscar's alerts (``OMNI_ALERTS_TAKE_OVER_OSCAR``); "" otherwise,
    for the template to show Oscar's own form."""
    # Imported here: template libraries load even without Wagtail, which omni.E002 reports.
    from ..alerts.offer import online_alert

    return online_alert(context["request"], product)
