"""What a geo lookup and a device classification cost, cached and not.

    .venv/bin/python benchmarks/geo.py [--addresses 20000] [--user-agents 50] [--repeats 200]

Builds a City database in a temporary directory with mmdb-writer. Every figure is printed
next to a baseline measured in the same run: lookups straight through the GeoIP2 reader
for distinct addresses, and a bare ``user_agents.parse`` of the same user agents.
"""

import argparse
import ipaddress
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")

import django  # noqa: E402

django.setup()

import user_agents  # noqa: E402
from django.test import override_settings  # noqa: E402
from mmdb_writer import MMDBWriter  # noqa: E402
from netaddr import IPSet  # noqa: E402

from omni_plugin.geo import lookup as geo_lookup  # noqa: E402
from omni_plugin.geo.devices import device_class  # noqa: E402
from sandbox.demo.geoip import city_record  # noqa: E402

NETWORKS = ipaddress.ip_network("81.0.0.0/13")  # 2,048 networks of 256 addresses
BROWSERS = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0 "
    "Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_{v} like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPad; CPU OS 17_{v} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{v}.0) Gecko/20100101 Firefox/{v}.0",
)


def write_database(path):
    """A City database with a city in each /24 network of ``NETWORKS``."""
    writer = MMDBWriter(ip_version=6, ipv4_compatible=True, database_type="GeoIP2-City")
    for index, network in enumerate(NETWORKS.subnets(new_prefix=24)):
        record = city_record(f"City {index}", "Region", 50 + index % 8, -(index % 5))
        writer.insert_network(IPSet([str(network)]), record)
    writer.to_db_file(str(path))


def per_second(count, function, items):
    started = time.perf_counter()
    for item in items:
        function(item)
    return count / (time.perf_counter() - started)


def lookups(path, count):
    # Distinct addresses spread over the whole database, every one of them in it.
    addresses = [
        str(NETWORKS.network_address + i * 97 % NETWORKS.num_addresses) for i in range(count)
    ]
    with override_settings(OMNI_GEOIP_PATH=str(path)):
        reader = geo_lookup.reader()
        assert geo_lookup.read_location(reader, addresses[-1]).city, "address not in database"
        uncached = per_second(
            count, lambda address: geo_lookup.read_location(reader, address), addresses
        )
        repeated = addresses[:200] * (count // 200)
        for address in repeated[:200]:
            geo_lookup.lookup(address)
        cached = per_second(len(repeated), geo_lookup.lookup, repeated)
    print(
        f"geo lookups: {uncached:,.0f}/s uncached (distinct addresses through the reader), "
        f"{cached:,.0f}/s cached (repeated addresses) -> {cached / uncached:.0f}x"
    )


def devices(distinct, repeats):
    agents = [BROWSERS[i % len(BROWSERS)].format(v=100 + i) for i in range(distinct)]
    repeated = agents * repeats
    bare = per_second(len(repeated), user_agents.parse, repeated)
    device_class.cache_clear()
    classified = per_second(len(repeated), device_class, repeated)
    print(
        f"device classes for {distinct} user agents seen {repeats} times each: "
        f"{classified:,.0f}/s through device_class, {bare:,.0f}/s bare user_agents.parse "
        f"-> {classified / bare:.0f}x (goal: 50x)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addresses", type=int, default=20000)
    parser.add_argument("--user-agents", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=200)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "city.mmdb"
        write_database(path)
        lookups(path, arguments.addresses)
        geo_lookup.reset()
    devices(arguments.user_agents, arguments.repeats)


if __name__ == "__main__":
    main()
