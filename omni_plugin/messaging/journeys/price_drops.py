"""Noting when a product gets cheaper: every price cut of a stock record the web shop
sells from (stores' own stock records are left out)."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from oscar.core.loading import get_model

from omni_plugin.messaging.models import PriceDrop

StockRecord = get_model("partner", "StockRecord")
_SHELF_PRICE_PARTNERS = []


@receiver(pre_save, sender=StockRecord)
def remember_price(sender, instance, raw=False, update_fields=None, **kwargs):
    """Keep the price the record had before this save, to compare once it is saved."""
    if raw or instance.pk is None or (update_fields is not None and "price" not in update_fields):
        instance._omni_price_before = None
        return
    instance._omni_price_before = (
        StockRecord.objects.filter(pk=instance.pk).values_list("price", flat=True).first()
    )


@receiver(post_save, sender=StockRecord)
def note_price_drop(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_omni_price_before", None)
    if raw or created or before is None or instance.price is None:
        return
    if instance.partner_id in _store_partner_ids():
        return  # a store's shelf price: the web shop's price is the warehouse's
    if instance.price < before:
        PriceDrop.objects.create(
            product_id=instance.product_id,
            old_price=before,
            new_price=instance.price,
            currency=instance.price_currency,
        )


def _store_partner_ids():
    return frozenset().union(*(partner_ids() for partner_ids in _SHELF_PRICE_PARTNERS))


def register_shelf_price_partners(partner_ids):
    """Name a function that returns the ids of partners whose prices are a store's shelf
    prices, not the web shop's: their drops are no price drop to tell customers of."""
    _SHELF_PRICE_PARTNERS.append(partner_ids)
