"""The js render mode in a real browser: the script fills each slot with the fragment for
the visitor's variant key, and reports the banner it showed."""

import shutil

import pytest
from conftest import DESKTOP_BROWSER
from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from omni_plugin.banners.models import BannerStat
from omni_plugin.banners.tracking import flush_stats
from sandbox.cms.models import HomePage
from tests.banners.factories import make_banner, make_slot, variant, variant_ids
from tests.personalization.segment_factories import make_segment

CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


def page_tree_root():
    """The root page, made again with its locale if a transactional test flushed them."""
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    return Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))


@pytest.fixture
def shop(live_server, settings):
    settings.OMNI_SLOT_RENDER_MODE = "js"
    home = page_tree_root().add_child(
        instance=HomePage(title="Welcome to the shop", slug="shop-home")
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"root_page": home, "hostname": "localhost", "site_name": "Shop"},
    )
    phones = make_segment("Phone users", ("device", {"devices": ["mobile"]}))
    banner = make_banner(
        "Hero",
        variant("For phones", targeting={"include_segments": [phones]}),
        variant("For everyone", fallback=True),
    )
    make_slot("home-hero", banner)
    return live_server.url, banner


def test_the_script_fills_the_slot_for_the_key_and_reports_it(shop):
    url, banner = shop
    # The database is read once the browser is closed: Playwright's loop runs in this thread.
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        desktop = browser.new_context(user_agent=DESKTOP_BROWSER).new_page()
        desktop.goto(url + "/")
        desktop.get_by_role("heading", name="For everyone").wait_for()

        phone = browser.new_context(user_agent=IPHONE).new_page()
        phone.goto(url + "/shop/")  # a page of the shop's own gives the variant key
        with phone.expect_response("**/omni/banners/shown/") as report:
            phone.goto(url + "/")
            phone.get_by_role("heading", name="For phones").wait_for()
        assert report.value.status == 204
        assert phone.locator("[data-omni-fragment]").count() == 1
        browser.close()

    flush_stats()
    counted = BannerStat.objects.get(banner=banner, variant=variant_ids(banner)["For phones"])
    assert counted.impressions == 1
