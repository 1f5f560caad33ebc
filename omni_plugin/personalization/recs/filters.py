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


def may_show(products, shopper, model, *, offers_purchased=False):
    """A test of the ids of ``products``: public, available to buy and (unless
    ``offers_purchased``) not in a just-bought category unless bought again. Oscar's
    strategy is asked only about the products tested."""
    categories = set() if offers_purchased else suppressed_categories(shopper)
    suppressed = set()
    if categories:
        owned_by = categories_of(products.values())
        suppressed = not_repeatable(
            model, {pid for pid, owned in owned_by.items() if owned & categories}
        )

    def shown(pid):
        product = products[pid]
        return (
            pid not in suppressed and product.is_public and is_available(product, shopper.strategy)
        )

    return shown
