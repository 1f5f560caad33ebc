"""Recommendations in templates.

{% load omni_recommendations %}
{% recommendation_strip "bought_together" product=product title=_("Often bought together") %}
{% recommendations "for_you" limit=8 as recommended %}
"""

from django import template
from django.template.loader import get_template

register = template.Library()

STRIP_TEMPLATE = "omni/personalization/recommendations.html"


@register.simple_tag(takes_context=True)
def recommendations(context, strategy, product=None, basket=None, limit=4):
    """A list of ``Recommendation`` (``product``, ``score``, ``reason``, ``strategy``)."""
    # Imported on use: the system checks load tag libraries, and the strategies load
    # Oscar's models, which the checks may have to report missing.
    from ..recommendations import recommend

    return recommend(
        strategy, request=context.get("request"), product=product, basket=basket, limit=limit
    )


@register.simple_tag(takes_context=True)
def recommendation_strip(context, strategy, title="", product=None, basket=None, limit=4):
    """A row of Oscar product cards with the reason under each; nothing when empty.

    The template gets ``recommendations`` and ``cards``: (recommendation, card HTML) pairs.
    """
    from ..recs.cards import render_cards

    found = recommendations(context, strategy, product=product, basket=basket, limit=limit)
    if not found:
        return ""
    cards = render_cards(context, [recommendation.product for recommendation in found])
    return get_template(STRIP_TEMPLATE).render(
        {
            **context.flatten(),
            "recommendations": found,
            "cards": list(zip(found, cards)),
            "title": title,
            "strategy": strategy,
        }
    )
