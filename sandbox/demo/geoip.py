"""A small GeoIP2 City database that places sample addresses in the demo stores' cities.

``sandbox/settings.py`` points OMNI_GEOIP_PATH at it. To browse the demo as a visitor
from one of these cities, set OMNI_DEBUG_LOCATION to its sample address (DEBUG only).
"""

from pathlib import Path

import geoip2.database
import geoip2.errors
import maxminddb
from django.conf import settings
from mmdb_writer import MMDBWriter
from netaddr import IPSet

from .summary import summarise

#: city -> (networks, sample address, region, latitude, longitude)
DEMO_CITIES = {
    "London": (["81.2.69.0/24", "2a02:8010:1::/48"], "81.2.69.160", "England", 51.5142, -0.0931),
    "Manchester": (["2.125.160.0/24"], "2.125.160.216", "England", 53.4794, -2.2453),
    "Edinburgh": (["31.185.0.0/24"], "31.185.0.10", "Scotland", 55.9533, -3.1883),
}


def city_record(city, region, latitude, longitude):
    """A record in the shape of MaxMind's GeoIP2 City database."""
    return {
        "city": {"names": {"en": city}},
        "continent": {"code": "EU", "names": {"en": "Europe"}},
        "country": {"iso_code": "GB", "names": {"en": "United Kingdom"}},
        "location": {
            "latitude": latitude,
            "longitude": longitude,
            "accuracy_radius": 20,
            "time_zone": "Europe/London",
        },
        "subdivisions": [{"names": {"en": region}}],
    }


def write_city_database(path, cities):
    """Write a City database for ``{city: (networks, sample, region, latitude, longitude)}``."""
    writer = MMDBWriter(
        ip_version=6,
        ipv4_compatible=True,
        database_type="GeoIP2-City",
        languages=["en"],
        description="Oscar Omni demo locations",
    )
    for city, (networks, _sample, region, latitude, longitude) in cities.items():
        writer.insert_network(IPSet(networks), city_record(city, region, latitude, longitude))
    path.parent.mkdir(parents=True, exist_ok=True)
    writer.to_db_file(str(path))
    return path


def places_every_sample(path, cities):
    """Whether ``path`` is a database that puts each city's sample address in that city."""
    try:
        with geoip2.database.Reader(str(path)) as reader:
            return all(
                reader.city(sample).city.name == city
                for city, (_networks, sample, *_place) in cities.items()
            )
    except (
        OSError,
        TypeError,
        ValueError,
        maxminddb.InvalidDatabaseError,
        geoip2.errors.GeoIP2Error,
    ):
        return False


def create_demo_geoip_database():
    path = Path(settings.DEMO_GEOIP_DATABASE)
    samples = ", ".join(f"{city} {sample}" for city, (_, sample, *_place) in DEMO_CITIES.items())
    created = not places_every_sample(path, DEMO_CITIES)
    if created:
        write_city_database(path, DEMO_CITIES)
    return summarise(
        [f"a GeoIP2 database in {path.name}" if created else ""],
        existing=f"GeoIP2 database, sample addresses {samples}",
    )
