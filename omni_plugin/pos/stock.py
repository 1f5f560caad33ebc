"""A till's stock report: absolute levels or changes to the store's own stock records.

Each changed record is saved on its own, so that receivers of ``StockRecord``'s
``post_save`` (back-in-stock alerts, Oscar's product alerts) hear of every change. A
product the store had no record of gets one, without a price. A report is applied whole
or not at all; one that carries an id is applied once, however often it is sent.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from omni_plugin.pos.models import StockReport
from omni_plugin.stores.models import Store

from .products import reference_of, resolve_products, unknown_product_message


class StockRefused(ValueError):
    """The report cannot be applied; the message says which item and why."""


@dataclass
class StockChange:
    product_id: int
    sku: str
    previous: int
    level: int


def apply_report(store, items, client_id=None):
    """Apply ``items`` (each a product reference with ``level`` or ``delta``) to the store's
    stock; ``None`` when the report's ``client_id`` was applied before, else the changes."""
    StockRecord = get_model("partner", "StockRecord")
    references = [reference_of(item) for item in items]
    products = resolve_products(store, set(references))
    for n, (how, value) in enumerate(references):
        if (how, value) not in products:
            raise StockRefused(f"items[{n}]: {unknown_product_message(how, value)}")
    with transaction.atomic():
        list(Store.objects.select_for_update().filter(pk=store.pk).values_list("pk"))
        if client_id and not _first_time(store, client_id):
            return None
        product_ids = {products[ref][0] for ref in references}
        records = {}
        for record in (
            StockRecord.objects.select_for_update()
            .filter(partner_id=store.partner_id, product_id__in=product_ids)
            .order_by("-pk")
        ):
            records[record.product_id] = record  # the oldest record of a product wins
        planned = []
        for n, (item, ref) in enumerate(zip(items, references)):
            product_id = products[ref][0]
            record = records.get(product_id) or _new_record(store, product_id)
            records[product_id] = record
            planned.append((record, _level(n, item, record, planned)))
        # Saved only once every item is known to fit, so that receivers hear no change
        # that is then rolled back.
        changes = []
        for record, level in planned:
            previous = record.num_in_stock or 0
            if record.pk is None or level != previous:
                record.num_in_stock = level
                record.save()
            changes.append(StockChange(record.product_id, record.partner_sku, previous, level))
    return changes


def _first_time(store, client_id):
    try:
        with transaction.atomic():
            StockReport.objects.create(store=store, client_id=client_id)
    except IntegrityError:
        return False
    return True


def _new_record(store, product_id):
    StockRecord = get_model("partner", "StockRecord")
    return StockRecord(
        partner_id=store.partner_id,
        product_id=product_id,
        partner_sku=f"{store.code}-{product_id}",
        num_in_stock=0,
        num_allocated=0,
    )


def _level(n, item, record, planned):
    """The item's new level, after the report's earlier items on the same record."""
    levels = [level for earlier, level in planned if earlier is record]
    previous = levels[-1] if levels else record.num_in_stock or 0
    if item.get("level") is not None:
        return item["level"]
    if previous + item["delta"] < 0:
        raise StockRefused(
            _(
                "items[%(n)d]: %(sku)s has %(previous)d in stock; "
                "taking %(taken)d leaves less than none."
            )
            % {"n": n, "sku": record.partner_sku, "previous": previous, "taken": -item["delta"]}
        )
    return previous + item["delta"]
