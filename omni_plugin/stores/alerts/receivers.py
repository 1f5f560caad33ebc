"""What keeps alerts going: stock rises and price cuts wake them, after the change is
committed; wish lists hold price drop alerts; alerts follow profiles through merges,
undos, erasure and exports."""

import logging
from functools import wraps

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from oscar.core.loading import get_model

from omni_plugin.conf import omni_settings
from omni_plugin.core.identity import account_profile
from omni_plugin.core.signals import merge_undone, profile_erased, profile_exported, profiles_merged

from ..models import StockAlert
from . import oscar_alerts
from .dispatch import dispatch_back_in_stock, dispatch_price_drops
from .stock import is_store_partner, shop_strategy

Product = get_model("catalogue", "Product")

logger = logging.getLogger(__name__)
Kind, Status = StockAlert.Kind, StockAlert.Status
#: The fields of a stock record whose change may wake an alert.
WAKING_FIELDS = {"num_in_stock", "num_allocated", "price"}


def host_safe(receiver):
    """The receiver, run for the plugin only while it is enabled, in a savepoint, and never
    failing the shop's own save: what goes wrong is logged. Alerts lose nothing by it, as
    the dispatch reads the stock again and the next change wakes them anyway."""

    @wraps(receiver)
    def guarded(sender, instance, *args, raw=False, **kwargs):
        if raw or not omni_settings.ENABLED:
            return
        try:
            with transaction.atomic():
                receiver(sender, instance, *args, **kwargs)
        except Exception:
            logger.exception("%s failed on %r; the save went on.", receiver.__name__, instance)

    return guarded


@host_safe
def stock_saved(sender, instance, created, update_fields=None, **kwargs):
    """A stock record was saved (or allocated, which Oscar signals by hand): when alerts
    wait for its product and some can be bought, fire them once the save is committed."""
    if update_fields is not None and not WAKING_FIELDS & set(update_fields):
        return
    level = _net_stock(instance)
    if level is not None and level <= 0:
        return
    product_id, partner_id = instance.product_id, instance.partner_id
    parent_id = Product.objects.filter(pk=product_id).values_list("parent_id", flat=True).first()
    asked_about = [product_id, *filter(None, [parent_id])]
    online = not is_store_partner(partner_id)
    waiting = StockAlert.objects.filter(product_id__in=asked_about, status=Status.ACTIVE)
    if waiting.filter(kind=Kind.BACK_IN_STOCK).exists() or (
        online and oscar_alerts.taken_over() and oscar_alerts.has_waiting(asked_about)
    ):
        transaction.on_commit(lambda: dispatch_back_in_stock.enqueue(product_id, partner_id))
    if online and waiting.filter(kind=Kind.PRICE_DROP).exists():
        transaction.on_commit(lambda: dispatch_price_drops.enqueue(product_id))


def _net_stock(instance):
    """What the record can still sell, as a number: writers such as Oscar's importer leave
    the text they read in ``num_in_stock``. None when unknown or not a number."""
    try:
        in_stock = int(instance.num_in_stock)
        allocated = int(instance.num_allocated or 0)
    except (TypeError, ValueError):
        return None
    return in_stock - allocated


@host_safe
def wished(sender, instance, created, **kwargs):
    """A product added to a wish list: its owner is told when its price falls."""
    if not created or instance.product_id is None or instance.product.is_parent:
        return
    price = shop_strategy().fetch_for_product(instance.product).price
    if not price.exists:
        return
    profile_id = account_profile(instance.wishlist.owner_id)
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


@host_safe
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
        profile_id=account_profile(owner_id),
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
    StockRecord = get_model("partner", "StockRecord")
    post_save.connect(oscar_alerts.let_oscar_send, sender=StockRecord, weak=False)
    post_save.connect(stock_saved, sender=StockRecord, weak=False)
    post_save.connect(wished, sender=get_model("wishlists", "Line"), weak=False)
    post_delete.connect(unwished, sender=get_model("wishlists", "Line"), weak=False)
    profiles_merged.connect(follow_merge, weak=False)
    merge_undone.connect(follow_undo, weak=False)
    profile_erased.connect(forget_erased, weak=False)
    profile_exported.connect(export_alerts, weak=False)
