"""Click and collect in the demo shop, in a real browser: a guest orders and picks a store."""

import shutil

import pytest
from conftest import DESKTOP_BROWSER
from django.core.management import call_command
from django.db.models import Q
from oscar.core.loading import get_model

CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture
def demo_shop(page_tree, live_server):
    call_command("omni_demo", stdout=open("/dev/null", "w"))
    return live_server.url


@pytest.fixture
def page():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser.new_context(user_agent=DESKTOP_BROWSER).new_page()
        browser.close()


@pytest.fixture
def stocked_at_a_store(demo_shop):
    """A demo product that a store has on its shelves, and that store (read before the
    browser starts: its event loop keeps the database from this thread)."""
    StockRecord = get_model("partner", "StockRecord")
    record = (
        StockRecord.objects.filter(partner__store__pickup_enabled=True, num_in_stock__gte=1)
        .filter(Q(num_allocated__isnull=True) | Q(num_allocated=0))
        .select_related("product", "partner__store")
        .order_by("pk")
        .first()
    )
    return record.product, record.partner.store


def test_a_guest_collects_a_demo_order_in_store(demo_shop, stocked_at_a_store, page):
    product, store = stocked_at_a_store
    # The guest answers the push prompt "Not now" whenever it is in the way.
    page.add_locator_handler(
        page.get_by_role("button", name="Not now"), lambda not_now: not_now.click()
    )

    page.goto(demo_shop + product.get_absolute_url())
    page.locator("#add_to_basket_form button[type=submit]").click()
    page.goto(demo_shop + "/shop/checkout/")
    page.fill("input[name=username]", "ada@example.com")
    page.check("input[name=options][value=anonymous]")
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("link", name="Choose a store").click()
    page.get_by_role("button", name=f"Collect at {store.name}").click()
    page.wait_for_url("**/checkout/payment-details/")
    page.get_by_role("link", name="Continue").click()
    page.get_by_role("button", name="Place order").click()
    page.wait_for_url("**/checkout/thank-you/")

    summary = page.locator("body").inner_text()
    assert "Collect from" in summary
    assert store.name in summary and store.line1 in summary
