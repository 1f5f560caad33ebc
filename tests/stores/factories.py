"""Stores for tests: open the usual hours, in the demo's cities, seen from a known week."""

from datetime import UTC, datetime, time
from decimal import Decimal

from oscar.core.loading import get_model

from omni_plugin.stores.models import OpeningHours, Store, Weekday
from sandbox.demo.geoip import DEMO_CITIES

MANCHESTER_VISITOR = DEMO_CITIES["Manchester"][1]
UNPLACED_VISITOR = "10.1.2.3"

# A week in November, when London keeps GMT: London time is UTC.
MONDAY_NOON = datetime(2026, 11, 23, 12, tzinfo=UTC)
SUNDAY_EVENING = datetime(2026, 11, 29, 18, tzinfo=UTC)


def create_store(name, code, latitude, longitude, **fields):
    """A store open Monday to Saturday 09:00-20:00 and Sunday 11:00-17:00, local time."""
    store = Store.objects.create(
        name=name,
        code=code,
        line1=fields.pop("line1", "1 High Street"),
        city=fields.pop("city", name),
        country=fields.pop("country", "GB"),
        latitude=latitude,
        longitude=longitude,
        **fields,
    )
    for day in range(Weekday.SATURDAY + 1):
        OpeningHours.objects.create(store=store, weekday=day, opens=time(9), closes=time(20))
    OpeningHours.objects.create(
        store=store, weekday=Weekday.SUNDAY, opens=time(11), closes=time(17)
    )
    return store


def store_stock(product, store, num_in_stock, num_allocated=0, price="12.50"):
    """The store's stock record of ``product``."""
    return get_model("partner", "StockRecord").objects.create(
        product=product,
        partner=store.partner,
        partner_sku=f"{store.code}-{product.pk}",
        price=Decimal(price),
        num_in_stock=num_in_stock,
        num_allocated=num_allocated,
    )
