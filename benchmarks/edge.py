"""Pages with 3 slots through Varnish, in esi mode, against the shop serving them alone.

    .venv/bin/python benchmarks/edge.py [--visitors 10000] [--views 2] [--clients 16]

Starts the sandbox under gunicorn twice, from one seeded copy of the demo shop: in esi
mode behind Varnish (docs/varnish/omni.vcl), and in inline mode on its own. 20 segments
(one per UTM campaign) and a page, /offers/, whose 3 slots each hold a banner with a
variant per segment, one for France, one for phones and one for tablets. Each simulated
visitor (campaign, country among GB, FR and DE, device among desktop, phone and tablet)
arrives on the shop through a campaign link, which gives them their variant key, then
views /offers/ ``--views`` times. Printed: the fragments' hit ratio at the edge, the
shop's requests per 1,000 page views, and pages per second through Varnish against the
shop alone in the same run. DATABASE_URL and REDIS_URL work as for the tests.
"""

import argparse
import itertools
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.edge.servers import Origin, ShopData, Varnish, free_port  # noqa: E402

SEGMENTS = 20
SLOTS = 3
COUNTRIES = ("GB", "FR", "DE")
DEVICES = {
    "desktop": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36",
    "phone": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
    "tablet": "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
}
PAGE = "/offers/"
SEED = f"from tests.edge.seeds import seed_edge_benchmark; seed_edge_benchmark({SEGMENTS}, {SLOTS})"


def visitors(count):
    """(campaign, country, user agent) of each visitor, in a random but repeatable order."""
    mix = list(itertools.product(range(SEGMENTS), COUNTRIES, DEVICES.values()))
    rng = random.Random(7)
    return [rng.choice(mix) for _ in range(count)]


_sessions = threading.local()


def session():
    if not hasattr(_sessions, "value"):
        _sessions.value = requests.Session()
    return _sessions.value


def get(url, cookies, user_agent, country):
    response = session().get(
        url,
        cookies=cookies,
        headers={"User-Agent": user_agent, "CF-IPCountry": country},
        allow_redirects=False,
    )
    response.raise_for_status()
    return response


def arrive(edge_url, visitor):
    """The visitor's first page, from the shop through the edge: their cookies."""
    campaign, country, user_agent = visitor
    response = get(f"{edge_url}/shop/?utm_campaign=c{campaign}", {}, user_agent, country)
    return dict(response.cookies)


def view(base_url, cookies, visitor):
    _campaign, country, user_agent = visitor
    response = get(base_url + PAGE, cookies, user_agent, country)
    assert "esi:include" not in response.text
    assert response.text.count("data-omni-slot=") == SLOTS, "a slot is missing"
    return response.headers.get("X-Cache")


def run(pool, task, items):
    started = time.perf_counter()
    results = list(pool.map(task, items))
    return results, time.perf_counter() - started


def backend_requests(edge):
    output = subprocess.run(
        ["varnishstat", "-n", str(edge.directory / "work"), "-1", "-j", "-f", "MAIN.backend_req"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    counters = json.loads(output)
    counters = counters.get("counters", counters)
    return counters["MAIN.backend_req"]["value"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=10_000)
    parser.add_argument("--views", type=int, default=2)
    parser.add_argument("--clients", type=int, default=16)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="omni-edge-bench-") as directory:
        print("seeding the demo shop ...", flush=True)
        shop = ShopData(Path(directory) / "shop", {"OMNI_SLOT_RENDER_MODE": "esi"}).create()
        shop.manage("shell", "-c", SEED)
        try:
            edge_port = free_port()
            esi = {
                "OMNI_SLOT_RENDER_MODE": "esi",
                "OMNI_EDGE_PURGE_URLS": f"http://127.0.0.1:{edge_port}",
            }
            with (
                Origin(esi, shop=shop) as origin,
                Varnish(origin.port, port=edge_port) as edge,
                Origin({"OMNI_SLOT_RENDER_MODE": "inline"}, shop=shop) as alone,
                ThreadPoolExecutor(arguments.clients) as pool,
            ):
                measure(arguments, pool, edge, alone)
        finally:
            shop.remove()


def measure(arguments, pool, edge, alone):
    people = visitors(arguments.visitors)
    print(f"{len(people)} visitors arrive through campaign links ...", flush=True)
    cookies, arrival_seconds = run(pool, lambda visitor: arrive(edge.url, visitor), people)
    views = list(zip(cookies, people, strict=True)) * arguments.views
    keys = len({jar.get("omni_vk") for jar in cookies})

    before = backend_requests(edge)
    page_cache, edge_seconds = run(pool, lambda item: view(edge.url, *item), views)
    origin_requests = backend_requests(edge) - before
    page_misses = sum(1 for state in page_cache if state != "HIT")
    fragments = len(views) * SLOTS
    fragment_misses = origin_requests - page_misses

    sample = views[: min(len(views), 2_000)]
    _, alone_seconds = run(pool, lambda item: view(alone.url, *item), sample)

    edge_rate, alone_rate = len(views) / edge_seconds, len(sample) / alone_seconds
    print(
        f"arrivals at the shop: {len(people) / arrival_seconds:.0f}/s; {keys} distinct variant keys"
    )
    print(
        f"fragments: {fragments} requested, {fragment_misses} from the shop: "
        f"hit ratio {1 - fragment_misses / fragments:.2%}"
    )
    print(
        f"shop requests per 1,000 page views: {origin_requests / len(views) * 1000:.1f} "
        f"({page_misses} page misses, {fragment_misses} fragment misses)"
    )
    print(
        f"pages per second: through Varnish {edge_rate:.0f}, the shop alone (inline) "
        f"{alone_rate:.0f}: {edge_rate / alone_rate:.1f}x"
    )


if __name__ == "__main__":
    main()
