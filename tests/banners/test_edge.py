"""Slots served from the edge: ESI and js placeholders, fragments per variant key, the
variant key cookie, impressions reported by the page, and purging on publish."""

import json
import re
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import DESKTOP_BROWSER
from django.test import Client
from django.utils import timezone

from omni_plugin.banners.models import BannerStat, Slot
from omni_plugin.banners.tracking import flush_stats
from omni_plugin.banners.variant_key import VariantKey
from tests.banners.factories import make_banner, make_slot, variant, variant_ids
from tests.personalization.segment_factories import make_segment

pytestmark = pytest.mark.django_db

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
FRAGMENT = "/omni/banners/fragment/slot/home-hero/"
SHOWN = "/omni/banners/shown/"


@pytest.fixture
def esi(settings):
    settings.OMNI_SLOT_RENDER_MODE = "esi"


@pytest.fixture
def phones():
    """A segment of phone users, and a home-hero banner with a variant for them."""
    segment = make_segment("Phone users", ("device", {"devices": ["mobile"]}))
    banner = make_banner(
        "Hero",
        variant("For phones", targeting={"include_segments": [segment]}),
        variant("For everyone", fallback=True),
    )
    make_slot("home-hero", banner)
    return segment, banner


def headlines_of(html):
    return re.findall(r'<h2 class="card-title">\s*(?:<a [^>]*>)?(.*?)(?:</a>)?\s*</h2>', html)


def key_cookie(response):
    return response.cookies["omni_vk"].value


def test_in_esi_mode_the_page_holds_an_include_and_is_shared_at_the_edge(home_page, esi, phones):
    response = Client(HTTP_USER_AGENT=IPHONE).get("/")

    html = response.content.decode()
    assert f'<esi:include src="{FRAGMENT}" onerror="continue"/>' in html
    assert headlines_of(html) == []  # nothing of the visitor's is in the page
    assert response["Surrogate-Control"] == 'content="ESI/1.0"'
    assert 'src="/static/omni/banners/edge.js"' in html
    # The shop marks its pages public for anonymous visitors: the plugin sets no cookie.
    assert "public" in response["Cache-Control"]
    assert not response.cookies


def test_each_slot_of_a_page_is_an_include_and_the_script_comes_once(home_page, esi):
    from sandbox.cms.models import ContentPage

    slots = [make_slot(key, make_banner(key, variant(key))) for key in ("left", "right")]
    body = [{"type": "banner", "value": {"banner": None, "slot": slot.pk}} for slot in slots]
    page = home_page.add_child(
        instance=ContentPage(title="Offers", slug="offers", body=json.dumps(body))
    )
    html = Client(HTTP_USER_AGENT=IPHONE).get(page.url).content.decode()
    for key in ("left", "right"):
        assert f'<esi:include src="/omni/banners/fragment/slot/{key}/"' in html
    assert html.count("omni/banners/edge.js") == 1


def test_a_banner_placed_on_a_page_is_a_fragment_of_its_own(home_page, esi):
    from sandbox.cms.models import ContentPage

    banner = make_banner("Placed", variant("Placed by the editor"))
    body = [{"type": "banner", "value": {"banner": banner.pk, "slot": None}}]
    page = home_page.add_child(
        instance=ContentPage(title="Offers", slug="offers", body=json.dumps(body))
    )
    browser = Client(HTTP_USER_AGENT=DESKTOP_BROWSER)
    src = f"/omni/banners/fragment/banner/{banner.pk}/"
    assert f'<esi:include src="{src}"' in browser.get(page.url).content.decode()
    fragment = browser.get(src)
    assert headlines_of(fragment.content.decode()) == ["Placed by the editor"]
    assert fragment["Surrogate-Key"] == f"omni-banner-{banner.pk}"


def test_in_js_mode_the_page_holds_a_placeholder_for_the_script(home_page, settings, phones):
    settings.OMNI_SLOT_RENDER_MODE = "js"
    response = Client(HTTP_USER_AGENT=IPHONE).get("/")

    html = response.content.decode()
    assert f'<div class="omni-fragment" data-omni-fragment="{FRAGMENT}"></div>' in html
    assert "esi:include" not in html
    assert "Surrogate-Control" not in response


def test_a_slot_can_choose_its_own_mode(home_page, phones):
    Slot.objects.filter(key="home-hero").update(render_mode="esi")
    from omni_plugin.banners.compiled import forget_compiled

    forget_compiled()
    html = Client(HTTP_USER_AGENT=IPHONE).get("/").content.decode()
    assert "<esi:include" in html


def test_the_fragment_is_the_variant_for_the_key_and_the_same_for_every_visitor(
    home_page, esi, phones
):
    phone_key = key_cookie(Client(HTTP_USER_AGENT=IPHONE).get("/shop/"))
    desktop_key = key_cookie(Client(HTTP_USER_AGENT=DESKTOP_BROWSER).get("/shop/"))
    assert phone_key != desktop_key

    # Another browser, with no profile of its own, sent the phone user's key.
    stranger = Client(HTTP_USER_AGENT=DESKTOP_BROWSER)
    stranger.cookies["omni_vk"] = phone_key
    fragment = stranger.get(FRAGMENT)

    assert headlines_of(fragment.content.decode()) == ["For phones"]
    assert fragment["Cache-Control"] == "public, max-age=60, s-maxage=3600"
    assert fragment["Surrogate-Control"] == "max-age=3600"
    banner_id = phones[1].pk
    assert fragment["Surrogate-Key"] == f"omni-slot-home-hero omni-banner-{banner_id}"
    assert not fragment.cookies

    stranger.cookies["omni_vk"] = desktop_key
    assert headlines_of(stranger.get(FRAGMENT).content.decode()) == ["For everyone"]


def test_the_key_in_the_url_wins_over_the_cookie(home_page, esi, phones):
    phone_key = key_cookie(Client(HTTP_USER_AGENT=IPHONE).get("/shop/"))
    browser = Client(HTTP_USER_AGENT=DESKTOP_BROWSER)
    assert headlines_of(browser.get(FRAGMENT, {"vk": phone_key}).content.decode()) == ["For phones"]


def test_a_tampered_or_missing_key_gets_the_default_variant(home_page, esi, phones):
    desktop_key = key_cookie(Client(HTTP_USER_AGENT=DESKTOP_BROWSER).get("/shop/"))
    signature = desktop_key.rsplit(":", 1)[1]
    # The phone users' segment written into a desktop visitor's key, signature kept.
    forged = VariantKey(segments=frozenset({str(phones[0].pk)}), device="desktop").signed()
    tampered = f"{forged.rsplit(':', 1)[0]}:{signature}"
    assert tampered != forged

    for key in (tampered, "not-a-key", ""):
        browser = Client(HTTP_USER_AGENT=IPHONE)
        browser.cookies["omni_vk"] = key
        assert headlines_of(browser.get(FRAGMENT).content.decode()) == ["For everyone"]


def test_the_key_cookie_is_set_when_it_changes_only(home_page, esi, phones):
    browser = Client(HTTP_USER_AGENT=IPHONE)
    first = browser.get("/shop/")
    assert "omni_vk" in first.cookies
    assert "omni_vk" not in browser.get("/shop/").cookies  # unchanged: not sent again

    key = VariantKey.read(key_cookie(first))
    assert key.segments == {str(phones[0].pk)}
    assert key.device == "mobile"
    assert key.bucket is None  # no A/B test is live


def test_in_inline_mode_no_key_cookie_is_set(home_page, phones):
    assert "omni_vk" not in Client(HTTP_USER_AGENT=IPHONE).get("/shop/").cookies


def test_the_key_cookie_comes_with_the_shops_own_responses(home_page, esi, phones, product):
    browser = Client(HTTP_USER_AGENT=IPHONE)
    response = browser.get(product.get_absolute_url())  # not shared: the basket form
    assert "public" not in response.get("Cache-Control", "")
    assert VariantKey.read(key_cookie(response)).device == "mobile"


def test_a_fragment_lives_at_the_edge_until_the_banner_expires(home_page, esi):
    make_slot(
        "home-hero",
        make_banner(
            "Weekend",
            variant("Weekend sale"),
            expire_at=timezone.now() + timedelta(minutes=10),
        ),
    )
    fragment = Client(HTTP_USER_AGENT=DESKTOP_BROWSER).get(FRAGMENT)
    assert headlines_of(fragment.content.decode()) == ["Weekend sale"]
    edge_ttl = int(fragment["Surrogate-Control"].removeprefix("max-age="))
    assert 590 <= edge_ttl <= 600


def test_a_slot_of_visitor_specific_products_is_private(home_page, esi):
    make_slot(
        "home-hero",
        make_banner("Seen", variant("Recently", content=("recently_viewed", {"title": "Seen"}))),
    )
    browser = Client(HTTP_USER_AGENT=DESKTOP_BROWSER)
    personal = "/omni/banners/personal/slot/home-hero/"
    assert f'<esi:include src="{personal}"' in browser.get("/").content.decode()
    for url in (personal, FRAGMENT):
        fragment = browser.get(url)
        assert fragment["Cache-Control"] == "private, no-store"
        assert "Surrogate-Key" not in fragment


def test_a_fragment_for_a_product_page_names_the_product(esi, product):
    make_slot("product-detail", make_banner("Mugs", variant("Mug offer")))
    page = Client(HTTP_USER_AGENT=DESKTOP_BROWSER).get(product.get_absolute_url())
    src = f"/omni/banners/fragment/slot/product-detail/?product={product.pk}"
    assert f'<esi:include src="{src}"' in page.content.decode().replace("&amp;", "&")

    browser = Client(HTTP_USER_AGENT=DESKTOP_BROWSER)
    assert headlines_of(browser.get(src).content.decode()) == ["Mug offer"]
    bad = browser.get(FRAGMENT.replace("home-hero", "product-detail"), {"product": "mug"})
    assert bad.status_code == 400
    assert "product's id" in bad.content.decode()


def test_ab_tests_at_the_edge_follow_the_weights_over_the_buckets(home_page, esi, settings):
    settings.OMNI_EDGE_AB_BUCKETS = 20
    make_slot(
        "home-hero",
        make_banner(
            "Test",
            variant("A", weight=3),
            variant("B", weight=1),
            choice="ab_test",
        ),
    )
    seen = []
    for bucket in range(20):
        browser = Client(HTTP_USER_AGENT=DESKTOP_BROWSER)
        browser.cookies["omni_vk"] = VariantKey(device="desktop", bucket=bucket).signed()
        seen += headlines_of(browser.get(FRAGMENT).content.decode())
    assert sorted(seen) == ["A"] * 15 + ["B"] * 5


def test_the_page_reports_what_it_showed_and_impressions_are_counted(home_page, esi, phones):
    banner = phones[1]
    ids = variant_ids(banner)
    browser = Client(HTTP_USER_AGENT=IPHONE)
    browser.get("/shop/")
    fragment = browser.get(FRAGMENT).content.decode()
    shown = re.findall(r'data-omni-shown="([^"]+)"', fragment)
    assert shown == [f"{banner.pk}:{ids['For phones']}"]

    response = browser.post(
        SHOWN, json.dumps({"shown": shown}), "application/json", HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 204
    flush_stats()
    stat = BannerStat.objects.get(banner=banner, variant=ids["For phones"])
    assert stat.impressions == 1


@pytest.mark.parametrize(
    "body, message",
    [
        ("not json", "not JSON"),
        (json.dumps({"shown": []}), "'shown' lists 1 to 20 banners"),
        (json.dumps({"shown": ["999:abc"]}), "is not a live banner"),
        (json.dumps({"shown": ["BANNER:nope"]}), "is not a variant of that banner"),
    ],
)
def test_a_bad_report_is_refused_with_a_reason_and_counts_nothing(
    home_page, esi, phones, body, message
):
    body = body.replace("BANNER", str(phones[1].pk))
    response = Client(HTTP_USER_AGENT=IPHONE).post(
        SHOWN, body, "application/json", HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 400
    assert message in response.json()["error"]
    flush_stats()
    assert not BannerStat.objects.exists()


def test_a_report_from_another_site_is_refused(home_page, esi, phones):
    ids = variant_ids(phones[1])
    body = json.dumps({"shown": [f"{phones[1].pk}:{ids['For phones']}"]})
    response = Client(HTTP_USER_AGENT=IPHONE).post(
        SHOWN, body, "application/json", HTTP_ORIGIN="https://elsewhere.example"
    )
    assert response.status_code == 403


class BanRecorder(BaseHTTPRequestHandler):
    bans = []

    def do_BAN(self):
        self.bans.append(self.headers["Omni-Ban-Tag"])
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def edge_server(settings):
    BanRecorder.bans = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), BanRecorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.OMNI_EDGE_PURGE_URLS = [f"http://127.0.0.1:{server.server_port}"]
    yield BanRecorder.bans
    server.shutdown()


def test_publishing_a_banner_bans_its_fragments_at_the_edge(
    esi, edge_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        banner = make_banner("Spring", variant("Spring sale"))
    assert f"omni-banner-{banner.pk}" in edge_server

    edge_server.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_slot("home-hero", banner)
    assert set(edge_server) >= {"omni-slot-home-hero", f"omni-banner-{banner.pk}"}
