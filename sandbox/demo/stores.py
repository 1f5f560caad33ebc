"""The demo's stores, in the cities the demo GeoIP database knows, open for click and collect.

Each gets its own Oscar partner but no stock records: they would change the online prices.
"""

from datetime import date, time

from django.utils import timezone

from stores.models import OpeningException, OpeningHours, Store, Weekday

from .geoip import DEMO_CITIES
from .summary import counted, summarise

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
    return summarise([counted(created, "store")], existing=counted(Store.objects.count(), "store"))
