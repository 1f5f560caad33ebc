"""Where the products of a variant come from: one provider per kind of product content.

A provider is called as ``provider(request, content, product=None, limit=4)``, where
``content`` is the variant's content fields and ``product`` the page's product, if any.
It returns a list of objects with a ``product`` (and an optional ``reason``), such as
``Recommendation``. Apps that know about stores and alerts register theirs::

    from omni_plugin.banners.content import providers

    providers.register("collect_nearby", collect_nearby_products)

Until a kind has a provider, its variants fit nobody and the next eligible one is shown.
"""

from omni_plugin.personalization.recommendations import recommend

from .compiled import CREATIVE


class Providers:
    def __init__(self):
        self._by_kind = {}

    def register(self, kind, provider):
        self._by_kind[kind] = provider

    def unregister(self, kind):
        self._by_kind.pop(kind, None)

    def can_show(self, kind):
        """Whether variants of this kind can show anything at all."""
        return kind == CREATIVE or kind in self._by_kind

    def products(self, kind, request, content, product=None):
        return self._by_kind[kind](request, content, product=product, limit=content["limit"])


def strip_products(request, content, product=None, limit=4):
    return recommend(content["strategy"], request=request, product=product, limit=limit)


def recently_viewed_products(request, content, product=None, limit=4):
    return recommend("recently_viewed", request=request, product=product, limit=limit)


providers = Providers()
providers.register("product_strip", strip_products)
providers.register("recently_viewed", recently_viewed_products)
