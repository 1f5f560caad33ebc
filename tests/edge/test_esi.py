"""Slots filled at the edge: a real Varnish with docs/varnish/omni.vcl processes the ESI
includes of the sandbox's pages, served in esi mode by gunicorn."""

import re
import time

import pytest
import requests
from conftest import DESKTOP_BROWSER

from sandbox.demo.geoip import DEMO_CITIES

from .servers import Origin, Varnish, free_port

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
EDINBURGH = DEMO_CITIES["Edinburgh"][1]
LONDON = DEMO_CITIES["London"][1]
FRAGMENT = "/omni/banners/fragment/slot/home-hero/"


RENAME_FALLBACK = """
from omni_plugin.banners.models import Banner
banner = Banner.objects.get(name="Edge hero")
variants = banner.variants.raw_data
variants[-1]["value"]["content"][0]["value"]["headline"] = "For everyone, renewed"
banner.variants = variants
banner.save_revision().publish()
"""


@pytest.fixture(scope="module")
def edge(demo_shop):
    edge_port = free_port()
    settings = {
        "OMNI_SLOT_RENDER_MODE": "esi",
        "OMNI_EDGE_PURGE_URLS": f"http://127.0.0.1:{edge_port}",
        # A shop relying on legitimate interest: recently viewed shows without a yes.
        "OMNI_PERSONALISATION_BY_DEFAULT": "1",
    }
    seed = "from tests.edge.seeds import seed_banners; seed_banners()"
    with Origin(settings, seed=seed, shop=demo_shop) as origin:
        with Varnish(origin.port, port=edge_port) as edge:
            edge.origin = origin
            yield edge


def visitor(user_agent=DESKTOP_BROWSER, address=LONDON):
    session = requests.Session()
    session.headers.update({"User-Agent": user_agent, "X-Forwarded-For": address})
    return session


def arrive(session, edge):
    """The visitor's first page from the shop itself, which gives them their variant key."""
    response = session.get(f"{edge.url}/shop/")
    assert response.status_code == 200
    assert "omni_vk" in session.cookies
    return session


def hero(session, edge):
    """The headline of the home page's hero banner, as the visitor gets the page."""
    response = session.get(f"{edge.url}/")
    assert response.status_code == 200
    assert "esi:include" not in response.text  # the edge filled it
    headlines = re.findall(
        r'<h2 class="card-title">\s*(?:<a [^>]*>)?(.*?)(?:</a>)?\s*</h2>', response.text
    )
    return headlines[0] if headlines else None


def test_visitors_of_different_segments_see_their_own_banner(edge):
    assert hero(visitor(), edge) == "For everyone"  # no key yet: the default
    assert hero(arrive(visitor(IPHONE), edge), edge) == "For phones"
    assert hero(arrive(visitor(address=EDINBURGH), edge), edge) == "For Scots"
    assert hero(arrive(visitor(), edge), edge) == "For everyone"


def test_the_page_is_shared_and_the_second_visitor_of_a_segment_gets_the_cached_fragment(edge):
    first, second = arrive(visitor(IPHONE), edge), arrive(visitor(IPHONE), edge)
    assert first.cookies["omni_vk"] == second.cookies["omni_vk"]
    assert hero(first, edge) == "For phones"

    page = second.get(f"{edge.url}/")
    assert page.headers["X-Cache"] == "HIT"
    assert "set-cookie" not in page.headers
    fragment = second.get(f"{edge.url}{FRAGMENT}")
    assert fragment.headers["X-Cache"] == "HIT"
    assert int(fragment.headers["Age"]) >= 0
    assert "For phones" in fragment.text
    assert "set-cookie" not in fragment.headers


def test_a_tampered_key_gets_the_default(edge):
    scot = arrive(visitor(address=EDINBURGH), edge)
    key = scot.cookies["omni_vk"]
    forger = visitor(address=EDINBURGH)
    forger.cookies.set("omni_vk", key[:-3] + ("AAA" if not key.endswith("AAA") else "BBB"))
    assert hero(forger, edge) == "For everyone"


def test_publishing_a_banner_purges_its_fragments(edge):
    newcomer = visitor()
    assert hero(newcomer, edge) == "For everyone"
    assert newcomer.get(f"{edge.url}{FRAGMENT}").headers["X-Cache"] == "HIT"

    edge.origin.manage("shell", "-c", RENAME_FALLBACK)

    deadline = time.monotonic() + 10  # each worker of the shop rechecks within a second
    while hero(newcomer, edge) != "For everyone, renewed" and time.monotonic() < deadline:
        time.sleep(0.3)
    assert hero(newcomer, edge) == "For everyone, renewed"


def test_a_banner_of_the_visitors_own_products_is_fetched_for_them(edge):
    shopper = visitor()
    catalogue = shopper.get(f"{edge.url}/shop/catalogue/").text
    product_path = re.search(r'href="(/shop/catalogue/[^"/]+_\d+/)"', catalogue).group(1)
    product = shopper.get(f"{edge.url}{product_path}")
    title = re.search(r"<h1[^>]*>\s*(.*?)\s*</h1>", product.text).group(1)

    page = shopper.get(f"{edge.url}/seen/")
    assert "You looked at" in page.text and title in page.text
    assert "esi:include" not in page.text

    stranger = visitor()
    stranger.get(f"{edge.url}/shop/")
    assert title not in stranger.get(f"{edge.url}/seen/").text
