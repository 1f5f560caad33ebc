"""The demo home page in a real browser: two visitors see two banners, a click is reported."""

import shutil

import pytest
from conftest import DESKTOP_BROWSER
from django.core.management import call_command

from sandbox.demo.geoip import DEMO_CITIES

CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

EDINBURGH_ADDRESS = DEMO_CITIES["Edinburgh"][1]


@pytest.fixture
def demo_shop(page_tree, live_server, settings):
    call_command("omni_demo", stdout=open("/dev/null", "w"))
    # The browser reaches the live server from 127.0.0.1, which plays the shop's proxy here.
    settings.OMNI_TRUSTED_PROXIES = ["127.0.0.1/32"]
    settings.OMNI_GEOIP_PATH = str(settings.DEMO_GEOIP_DATABASE)
    return live_server.url


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


def visitor(browser, **headers):
    """A browser of its own, presenting itself as people's browsers do (headless ones are
    bots to the shop, and bots are not counted)."""
    return browser.new_context(user_agent=DESKTOP_BROWSER, extra_http_headers=headers).new_page()


def test_two_visitors_see_two_banners_and_the_report_shows_the_click(demo_shop, browser):
    newcomer = visitor(browser)
    newcomer.goto(demo_shop + "/")
    assert newcomer.get_by_text("Thoughtful gifts, chosen with care").is_visible()

    scot = visitor(browser, **{"X-Forwarded-For": EDINBURGH_ADDRESS})
    scot.goto(demo_shop + "/")
    assert scot.get_by_text("Hello from our Edinburgh shop").is_visible()
    assert not scot.get_by_text("Thoughtful gifts, chosen with care").is_visible()

    scot.get_by_role("link", name="Visit the shop").click()
    scot.wait_for_url("**/about-us/")

    staff = visitor(browser)
    staff.goto(demo_shop + "/cms/login/")
    staff.fill("input[name=username]", "admin")
    staff.fill("input[name=password]", "omni-demo-admin")
    staff.click("button[type=submit]")
    staff.wait_for_url("**/cms/")
    staff.goto(demo_shop + "/cms/banner-reports/")
    staff.get_by_role("link", name="Home page welcome").click()
    scotland = staff.locator("tr", has=staff.locator("th", has_text="Scotland")).first
    impressions, clicks = (scotland.locator("td").nth(i).inner_text() for i in (0, 1))
    assert (impressions, clicks) == ("1", "1")
