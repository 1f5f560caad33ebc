"""The push campaign form in a real browser: the audience estimate follows the form."""

import shutil

import pytest
from django.contrib.auth import get_user_model

from omni_plugin.core.models import Profile
from omni_plugin.push.models import Campaign, PushSubscription
from tests.push.shop import browser_keys, make_campaign

CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

PASSWORD = "correct-horse-battery"


def subscribe(country):
    keys = browser_keys()
    PushSubscription.objects.create(
        profile=Profile.objects.create(),
        endpoint=f"https://fcm.googleapis.com/fcm/send/{PushSubscription.objects.count()}-token",
        p256dh=keys["p256dh"],
        auth=keys["auth"],
        device=PushSubscription.Device.DESKTOP,
        country=country,
    )


def test_the_estimate_counts_again_when_the_editor_changes_the_places(live_server):
    get_user_model().objects.create_superuser("editor", "editor@example.com", PASSWORD)
    for country in ("GB", "GB", "FR"):
        subscribe(country)
    campaign = make_campaign(countries="GB")

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(f"{live_server.url}/cms/login/")
        page.fill("input[name=username]", "editor")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/cms/")
        page.goto(f"{live_server.url}/cms/snippets/omni_push/campaign/edit/{campaign.pk}/")
        subscriptions = page.locator('[data-figure="subscriptions"]')
        assert subscriptions.text_content() == "2"

        page.fill("input[name=countries]", "GB, FR")
        page.press("input[name=countries]", "Tab")

        sync_api.expect(subscriptions).to_have_text("3")
        sync_api.expect(page.locator("[data-omni-push-estimate-status]")).to_contain_text(
            "Counted from the form as it is now"
        )
        browser.close()

    assert Campaign.objects.get().countries == "GB"
