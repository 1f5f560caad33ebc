"""Oscar's product cards of the recommended products, rendered once per product version.

A card is what Oscar's ``render_product`` renders: the shop's card template, with the
price and availability of Oscar's strategy. It is kept rendered under the product's
version (see ``products``: replaced whenever the product, its variants, stock records or
images change), the active language and the class of Oscar's strategy; each process
keeps the cards it last used, and the shared cache holds them for the others. The
visitor's CSRF token is put in on each use, so a card serves every visitor; a card whose
add-to-basket form the visitor just had refused is rendered for them alone.

A card template that shows something about the visitor other than the CSRF token needs
``OMNI_RECS_CARD_CACHE = False``.
"""

from django.core.cache import caches
from django.template.defaulttags import CsrfTokenNode
from django.utils import translation
from django.utils.safestring import mark_safe
from oscar.templatetags.product_tags import render_product

from omni_plugin.conf import omni_settings

from .products import KEPT, PRODUCT_TIMEOUT, version_of

#: The CSRF token a card is rendered with; each use puts the visitor's in its place.
TOKEN_MARK = "omni-card-csrf-token"
TOKEN_FIELD = f'<input type="hidden" name="csrfmiddlewaretoken" value="{TOKEN_MARK}">'

#: (product id, version, language, strategy) -> the card's HTML, as this process last used it.
_kept = {}


def render_cards(context, products):
    """The HTML of each product's card, in order, for the page whose template ``context``
    is given: from this process's cards, else the shared cache's (one read), else rendered."""
    if not omni_settings.RECS_CARD_CACHE:
        return [render_product(context, product) for product in products]
    keys = [_card_key(context, product) for product in products]
    missing = {
        key: product for key, product in zip(keys, products) if key is not None and key not in _kept
    }
    if missing:
        _keep(_shared_cards(context, missing))
    token = None
    cards = []
    for key, product in zip(keys, products):
        card = _kept.get(key) if key is not None else None
        if card is None:
            cards.append(render_product(context, product))
            continue
        if TOKEN_FIELD in card:
            token = token if token is not None else CsrfTokenNode().render(context)
            card = card.replace(TOKEN_FIELD, token)
        cards.append(mark_safe(card))
    return cards


def _card_key(context, product):
    version = version_of(product)
    request = context.get("request")
    strategy = getattr(request, "strategy", None)
    if version is None or strategy is None or _holds_a_refused_form(request, product):
        return None
    kind = type(strategy)
    strategy_name = f"{kind.__module__}.{kind.__qualname__}"
    return (product.pk, version, translation.get_language(), strategy_name)


def _holds_a_refused_form(request, product):
    # Oscar shows a refused add-to-basket form again, with its errors, to that visitor only.
    return f"add_to_basket_form_post_data_{product.pk}" in getattr(request, "session", {})


def _shared_cards(context, products):
    cache = caches[omni_settings.CACHE_ALIAS]
    names = {key: "omni:recs:card:{}:{}:{}:{}".format(*key) for key in products}
    cached = cache.get_many(names.values())
    cards = {key: cached[name] for key, name in names.items() if name in cached}
    rendered = {}
    with context.push(csrf_token=TOKEN_MARK):
        for key in products.keys() - cards.keys():
            rendered[key] = str(render_product(context, products[key]))
    if rendered:
        cache.set_many({names[key]: card for key, card in rendered.items()}, PRODUCT_TIMEOUT)
    return {**cards, **rendered}


def _keep(cards):
    if len(_kept) + len(cards) > KEPT:
        _kept.clear()
    _kept.update(cards)
