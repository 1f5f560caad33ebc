"""Recommendations for Oscar templates, banners and your own code.

    from omni_plugin.personalization.recommendations import recommend

    for product, score, reason, strategy in recommend("bought_together", request=request, product=product):
        ...

Strategies: ``recently_viewed``, ``similar``, ``bought_together``, ``for_you``,
``buy_again``, ``trending`` and ``manual``. See docs/recommendations.md.
"""

from omni_plugin.conf import omni_settings

from .recs.shopper import Shopper
from .recs.strategies import STRATEGIES, Recommendation, recommend_with

__all__ = ["STRATEGIES", "Recommendation", "UnknownStrategy", "recommend"]


class UnknownStrategy(ValueError):
    """The strategy asked for is not one of ``STRATEGIES``."""


def recommend(strategy, *, request=None, profile=None, product=None, basket=None, limit=4):
    """Up to ``limit`` ``Recommendation`` (product, score, reason, strategy), best first.

    ``request`` gives the visitor's profile, place, basket and Oscar's strategy;
    ``profile`` (a ``Profile`` or the request's ``CachedProfile``) and ``basket`` (an
    Oscar basket) win over the request's. ``product`` is the product being looked at.
    """
    if strategy not in STRATEGIES:
        raise UnknownStrategy(
            f"{strategy!r} is not a recommendation strategy; use one of {', '.join(STRATEGIES)}."
        )
    if not omni_settings.ENABLED or limit <= 0:
        return []
    shopper = Shopper.of(request=request, profile=profile, product=product, basket=basket)
    return recommend_with(strategy, shopper, limit)
