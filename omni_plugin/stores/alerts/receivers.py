"""What keeps alerts going: stock rises and price cuts wake them, after the change is
committed; wish lists hold price drop alerts; alerts follow profiles through merges,
undos, erasure and exports."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from oscar.core.loading import get_model

from omni_plugin.core.orders import profile_of_user
from omni_plugin.core.signals import merge_undone, profile_erased, profile_exported, profiles_merged

from ..models import StockAlert
from . import oscar_alerts
from .dispatch import dispatch_back_in_stock, dispatch_price_drops
from .stock import is_store_partner, shop_strategy

Kind, Status = StockAlert.Kind, StockAlert.Status


def stock_saved(sender, instance, created, raw=False, **kwargs):
    """A stock record was saved (or allocated, which Oscar signals by hand): when alerts
    wait for its product and some can be bought, fire them once the save is committed."""
    if raw:
        return
    oscar_alerts.let_oscar_send(sender, instance, created, raw=raw, **kwargs)
    if instance.num_in_stock is not None and (instance.net_stock_level or 0) <= 0:
        return
    product_id, partner_id = instance.product_id, instance.partner_id
    asked_about = [product_id, *filter(None, [instance.product.parent_id])]
    online = not is_store_partner(partner_id)
    waiting = StockAlert.objects.filter(product_id__in=asked_about, status=Status.ACTIVE)
    if waiting.filter(kind=Kind.BACK_IN_STOCK).exists() or (
        online and oscar_alerts.taken_over() and oscar_alerts.has_waiting(asked_about)
    ):
        transaction.on_commit(lambda: dispatch_back_in_stock.enqueue(product_id, partner_id))
    if online and waiting.filter(kind=Kind.PRICE_DROP).exists():
        transaction.on_commit(lambda: dispatch_price_drops.enqueue(product_id))


def wished(sender, instance, created, raw=False, **kwargs):
    """A product added to a wish list: its owner is told when its price falls."""
    if raw or not created or instance.product_id is None or instance.product.is_parent:
        return
    price = shop_strategy().fetch_for_product(instance.product).price
    if not price.exists:
        return
    profile_id = profile_of_user(instance.wishlist.owner_id)
    StockAlert.objects.bulk_create(
        [
            StockAlert(
                profile_id=profile_id,
                origin_profile_id=profile_id,
                product_id=instance.product_id,
                kind=Kind.PRICE_DROP,
                status=Status.ACTIVE,
                channel="",
                price=price.incl_tax if price.is_tax_known else price.excl_tax,
                confirmed_at=timezone.now(),
            )
        ],
        ignore_conflicts=True,  # already wished for in another list
    )


def unwished(sender, instance, **kwargs):
    """A product gone from the owner's last wish list: no more price drop alert for it."""
    WishListLine = get_model("wishlists", "Line")
    owner_id = instance.wishlist.owner_id
    if (
        instance.product_id is None
        or WishListLine.objects.filter(
            wishlist__owner_id=owner_id, product_id=instance.product_id
        ).exists()
    ):
        return
    StockAlert.objects.filter(
        profile_id=profile_of_user(owner_id),
        product_id=instance.product_id,
        kind=Kind.PRICE_DROP,
        status=Status.ACTIVE,
    ).update(status=Status.CANCELLED, closed_at=timezone.now())


def follow_merge(survivor_id, merged_id, **kwargs):
    """The merged profile's alerts become the survivor's; one the survivor has already
    (same product, place and kind) is cancelled rather than kept twice."""
    open_alerts = StockAlert.objects.filter(status__in=StockAlert.OPEN)
    survivors_own = set(
        open_alerts.filter(profile_id=survivor_id).values_list("product_id", "store_id", "kind")
    )
    twice = [
        pk
        for pk, *thing in open_alerts.filter(profile_id=merged_id).values_list(
            "pk", "product_id", "store_id", "kind"
        )
        if tuple(thing) in survivors_own
    ]
    StockAlert.objects.filter(pk__in=twice).update(
        status=Status.CANCELLED, closed_at=timezone.now()
    )
    StockAlert.objects.filter(profile_id=merged_id).update(profile_id=survivor_id)


def follow_undo(merged_id, profile_ids, **kwargs):
    StockAlert.objects.filter(origin_profile_id__in=profile_ids).update(profile_id=merged_id)


def forget_erased(profile_ids, **kwargs):
    StockAlert.objects.filter(profile_id__in=profile_ids).delete()


def export_alerts(profile_ids, **kwargs):
    alerts = StockAlert.objects.filter(profile_id__in=profile_ids).select_related("store")
    return {
        "stock_alerts": [
            {
                "product": alert.product_id,
                "store": alert.store.code if alert.store_id else "",
                "kind": alert.kind,
                "channel": alert.channel,
                "status": alert.status,
                "created_at": alert.created_at.isoformat(),
                "closed_at": alert.closed_at.isoformat() if alert.closed_at else None,
            }
            for alert in alerts.order_by("pk")
        ]
    }


def connect_receivers():
    oscar_alerts.disconnect_oscar_receiver()
    post_save.connect(stock_saved, sender=get_model("partner", "StockRecord"), weak=False)
    post_save.connect(wished, sender=get_model("wishlists", "Line"), weak=False)
    post_delete.connect(unwished, sender=get_model("wishlists", "Line"), weak=False)
    profiles_merged.connect(follow_merge, weak=False)
    merge_undone.connect(follow_undo, weak=False)
    profile_erased.connect(forget_erased, weak=False)
    profile_exported.connect(export_alerts, weak=False)
