"""The demo's stores, in the cities the demo GeoIP database knows, open for click and collect.

Each gets its own Oscar partner, whose stock records are the store's shelves: every store
stocks a different part of the catalogue, so product pages show that some products are at
one store only, some at several and some at none. The shop's strategy (sandbox/partner)
keeps online prices and online stock to the warehouse.
"""

import random
from datetime import date, time

from django.conf import settings
from django.utils import timezone
from oscar.core.loading import get_model

from omni_plugin.stores.models import OpeningException, OpeningHours, Store, Weekday

from .catalogue import LOW_STOCK_THRESHOLD, product_specs
from .geoip import DEMO_CITIES
from .summary import counted, summarise

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

STOCK_SEED = 2026
#: How many of the stores stock a product (none, one, two, all three), and how often.
STORES_PER_PRODUCT = (0, 1, 2, 3)
STORES_PER_PRODUCT_WEIGHTS = (2, 4, 3, 2)
#: A store's shelf holds up to this many of a product; none left happens too.
MAX_SHELF_STOCK = 12

STORES = [
    {
        "name": "Oscar Omni London",
        "code": "LON-01",
        "line1": "12 Cheapside",
        "city": "London",
        "postcode": "EC2V 6AA",
        "phone": "020 7946 0321",
        "email": "london@example.com",
    },
    {
        "name": "Oscar Omni Manchester",
        "code": "MAN-01",
        "line1": "40 Market Street",
        "city": "Manchester",
        "postcode": "M1 1PW",
        "phone": "0161 496 0742",
        "email": "manchester@example.com",
    },
    {
        "name": "Oscar Omni Edinburgh",
        "code": "EDI-01",
        "line1": "88 Princes Street",
        "city": "Edinburgh",
        "postcode": "EH2 2ER",
        "phone": "0131 496 0815",
        "email": "edinburgh@example.com",
    },
]

WEEKDAYS = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY)
#: London stays open late on Thursdays.
LATE_NIGHTS = {"LON-01": Weekday.THURSDAY}


def _opening_hours(code):
    hours = [
        OpeningHours(
            weekday=day,
            opens=time(9),
            closes=time(22) if LATE_NIGHTS.get(code) == day else time(20),
        )
        for day in (*WEEKDAYS, Weekday.SATURDAY)
    ]
    hours.append(OpeningHours(weekday=Weekday.SUNDAY, opens=time(11), closes=time(17)))
    return hours


def _christmas_exceptions(today):
    year = today.year if today <= date(today.year, 12, 26) else today.year + 1
    return [
        OpeningException(date=date(year, 12, 25), closed=True, note="Christmas Day"),
        OpeningException(
            date=date(year, 12, 26), opens=time(10), closes=time(16), note="Boxing Day"
        ),
    ]


def store_stock_plan():
    """(store code, product spec, number in stock) for the demo's store shelves, always the same."""
    rng = random.Random(STOCK_SEED)
    codes = [fields["code"] for fields in STORES]
    plan = []
    for spec in product_specs():
        (count,) = rng.choices(STORES_PER_PRODUCT, weights=STORES_PER_PRODUCT_WEIGHTS)
        for code in sorted(rng.sample(codes, count)):
            plan.append((code, spec, rng.randint(0, MAX_SHELF_STOCK)))
    return plan


def create_store_stock():
    """The stores' stock records that are missing, at the online price; how many were made."""
    partners = dict(Store.objects.values_list("code", "partner_id"))
    plan = [row for row in store_stock_plan() if row[0] in partners]
    products = Product.objects.in_bulk({spec.upc for _code, spec, _n in plan}, field_name="upc")
    stocked = set(
        StockRecord.objects.filter(partner_id__in=partners.values()).values_list(
            "partner_id", "product_id"
        )
    )
    records = [
        StockRecord(
            product=products[spec.upc],
            partner_id=partners[code],
            partner_sku=spec.partner_sku,
            price_currency=settings.OSCAR_DEFAULT_CURRENCY,
            price=spec.price,
            num_in_stock=num_in_stock,
            low_stock_threshold=LOW_STOCK_THRESHOLD,
        )
        for code, spec, num_in_stock in plan
        if spec.upc in products and (partners[code], products[spec.upc].pk) not in stocked
    ]
    StockRecord.objects.bulk_create(records)
    return len(records)


def create_stores():
    created = 0
    for fields in STORES:
        if Store.objects.filter(code=fields["code"]).exists():
            continue
        _networks, _sample, region, latitude, longitude = DEMO_CITIES[fields["city"]]
        store = Store(
            **fields,
            state=region,
            country="GB",
            latitude=latitude,
            longitude=longitude,
            time_zone="Europe/London",
            pickup_enabled=True,
            opening_hours=_opening_hours(fields["code"]),
            exceptions=_christmas_exceptions(timezone.localdate()),
        )
        store.save()
        created += 1
    stocked = create_store_stock()
    store_stock = StockRecord.objects.filter(partner__store__isnull=False).count()
    existing = [counted(Store.objects.count(), "store"), counted(store_stock, "store stock record")]
    return summarise(
        [counted(created, "store"), counted(stocked, "store stock record")],
        existing=", ".join(part for part in existing if part),
    )
