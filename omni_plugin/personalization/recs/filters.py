"""What is never recommended: what the customer looks at, has in the basket or just bought,
products of categories they just bought from, and what Oscar's strategy cannot sell."""

from datetime import datetime, timedelta

from omni_plugin.conf import omni_settings

from . import store
from .products import categories_of, is_available


def excluded(shopper, model, *, offers_purchased=False):
    """Product ids to leave out before scoring: the product itself, the basket's and,
    unless ``offers_purchased``, what the customer bought that is not bought again."""
    ids = {model.canonical(pid) for pid in shopper.basket_product_ids}
    if shopper.product is not None:
        ids |= {shopper.product.pk, model.canonical(shopper.product.pk)}
    if not offers_purchased:
        ids |= not_repeatable(model, purchased_ids(shopper, model))
    return ids


def purchased_ids(shopper, model):
    return {model.canonical(int(pid)) for pid in shopper.snapshot.get("purchased", {})}


def not_repeatable(model, product_ids):
    """Those of ``product_ids`` that customers seldom buy again (RECS_REPEAT_RATE)."""
    rows = store.product_rows(model, list(product_ids))
    return {pid for pid, row in rows.items() if row.repeat_rate < omni_settings.RECS_REPEAT_RATE}


def suppressed_categories(shopper):
    """Categories the customer bought from in the last RECS_SUPPRESS_CATEGORY_DAYS."""
    since = shopper.now - timedelta(days=omni_settings.RECS_SUPPRESS_CATEGORY_DAYS)
    return {
        int(category_id)
        for category_id, at in shopper.snapshot.get("bought_categories", {}).items()
        if datetime.fromisoformat(at) >= since
    }


def hidden(products, shopper, model, *, offers_purchased=False):
    """Ids of ``products`` not to show: not public, not available to buy, or (unless
    ``offers_purchased``) in a just-bought category and seldom bought again."""
    hide = {
        pid
        for pid, product in products.items()
        if not product.is_public or not is_available(product, shopper.strategy)
    }
    categories = set() if offers_purchased else suppressed_categories(shopper)
    if categories:
        shown = [product for pid, product in products.items() if pid not in hide]
        in_suppressed = {pid for pid, owned in categories_of(shown).items() if owned & categories}
        hide |= not_repeatable(model, in_suppressed)
    return hide
