"""A product's stock in the stores, on its page.

{% load omni_stores %}
{% omni_store_availability product %}
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
