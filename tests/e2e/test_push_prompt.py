"""The push opt-in prompt in a real browser: it shows from the second page view, "Not now"
keeps it away, and "Yes" subscribes the browser; a push then shows through the real
service worker, which reports that it was shown."""

import json
import os
import shutil

import pytest
from conftest import DESKTOP_BROWSER

from omni_plugin.core.models import Profile
from omni_plugin.push.models import Delivery, PushSubscription
from omni_plugin.push.receipts import receipt_for
from omni_plugin.push.vapid import b64url_encode, generate_keys

CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

PUSH_SERVICE = "push.localhost"
ENDPOINT = f"http://{PUSH_SERVICE}:8090/push/browser-1"
QUESTION = "Get notified about offers and restocks?"
NOTIFICATIONS = "navigator.serviceWorker.ready.then(r => r.getNotifications())"

# Headless Chromium has no push service: the browser's subscribe() is stood in for by one
# that hands out the test's subscription and remembers it, and what it was asked with.
FAKE_PUSH_SERVICE = """
(subscription => {
  const asSubscription = () => ({
    endpoint: subscription.endpoint,
    toJSON: () => subscription,
    unsubscribe: async () => { localStorage.removeItem("test.subscribedWith"); return true; },
  });
  PushManager.prototype.subscribe = async function (options) {
    const key = btoa(String.fromCharCode(...new Uint8Array(options.applicationServerKey)));
    localStorage.setItem("test.subscribedWith", JSON.stringify({
      userVisibleOnly: options.userVisibleOnly,
      applicationServerKey: key.replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, ""),
    }));
    return asSubscription();
  };
  PushManager.prototype.getSubscription = async function () {
    return localStorage.getItem("test.subscribedWith") ? asSubscription() : null;
  };
})(%s);
"""


def browser_subscription():
    """What ``PushSubscription.toJSON()`` gives: a real P-256 key and auth secret."""
    public_key, _ = generate_keys()
    return {
        "endpoint": ENDPOINT,
        "expirationTime": None,
        "keys": {"p256dh": public_key, "auth": b64url_encode(os.urandom(16))},
    }


@pytest.fixture
def shop(live_server, settings):
    settings.OMNI_PUSH_VAPID_PUBLIC_KEY, settings.OMNI_PUSH_VAPID_PRIVATE_KEY = generate_keys()
    settings.OMNI_PUSH_EXTRA_SERVICE_HOSTS = [PUSH_SERVICE]
    settings.OMNI_PUSH_PROMPT_AFTER_PAGES = 2
    return live_server.url


def browser_context(playwright, url, subscription):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
    context = browser.new_context(user_agent=DESKTOP_BROWSER)
    context.grant_permissions(["notifications"], origin=url)
    context.add_init_script(FAKE_PUSH_SERVICE % json.dumps(subscription))
    return browser, context


def view_a_page(page, url):
    """Load a page of the shop, once the prompt's script has counted the view and, when it
    asked the browser for its subscription, had the answer."""
    page.goto(url + "/shop/")
    page.wait_for_function("window.omniPush")
    page.evaluate(
        "navigator.serviceWorker.getRegistration('/')"
        ".then(registration => registration && registration.pushManager.getSubscription())"
        ".then(() => null)"
    )


def prompt(page):
    return page.get_by_role("dialog", name=QUESTION)


def say_yes(page):
    with page.expect_response("**/omni/push/subscribe/") as subscribed:
        page.get_by_role("button", name="Yes").click()
    prompt(page).wait_for(state="hidden")
    return subscribed.value.status


def push_delivery(devtools, url, registration_id):
    """Deliver a push to the service worker as the browser's push service would."""

    def deliver(data):
        devtools.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": url, "registrationId": registration_id, "data": data},
        )

    return deliver


def test_the_visitor_is_asked_from_the_second_page_and_yes_subscribes(shop, settings):
    url = shop
    subscription = browser_subscription()
    # The database is read once the browser is closed: Playwright's loop runs in this thread.
    with sync_api.sync_playwright() as playwright:
        browser, context = browser_context(playwright, url, subscription)
        page = context.new_page()

        view_a_page(page, url)
        assert not prompt(page).is_visible()

        view_a_page(page, url)
        prompt(page).wait_for()
        page.get_by_role("button", name="Not now").click()
        assert not prompt(page).is_visible()
        view_a_page(page, url)
        assert not prompt(page).is_visible()

        page.evaluate("localStorage.removeItem('omniPush.snoozedAt')")
        view_a_page(page, url)
        prompt(page).wait_for()
        assert say_yes(page) == 201
        subscribed_with = json.loads(page.evaluate("localStorage.getItem('test.subscribedWith')"))

        view_a_page(page, url)
        assert not prompt(page).is_visible()
        browser.close()

    assert subscribed_with == {
        "userVisibleOnly": True,
        "applicationServerKey": settings.OMNI_PUSH_VAPID_PUBLIC_KEY,
    }
    kept = PushSubscription.objects.get()
    assert (kept.endpoint, kept.p256dh, kept.auth, kept.active) == (
        ENDPOINT,
        subscription["keys"]["p256dh"],
        subscription["keys"]["auth"],
        True,
    )


def test_a_push_shows_through_the_service_worker_which_reports_it(shop):
    url = shop
    subscription = browser_subscription()
    kept = PushSubscription.objects.create(
        profile=Profile.objects.create(),
        endpoint=ENDPOINT,
        p256dh=subscription["keys"]["p256dh"],
        auth=subscription["keys"]["auth"],
        device="desktop",
    )
    delivery = Delivery.objects.create(subscription=kept, status=Delivery.Status.DELIVERED)
    push = {
        "title": "Mugs are back",
        "body": "In store and online",
        "url": url + "/shop/",
        "receipt": receipt_for(delivery.pk),
    }
    with sync_api.sync_playwright() as playwright:
        browser, context = browser_context(playwright, url, subscription)
        page = context.new_page()
        devtools = context.new_cdp_session(page)
        registrations = []
        devtools.on(
            "ServiceWorker.workerRegistrationUpdated",
            lambda event: registrations.extend(event["registrations"]),
        )
        devtools.send("ServiceWorker.enable")
        view_a_page(page, url)
        view_a_page(page, url)
        assert say_yes(page) == 200  # the endpoint was known: it moves to this visitor
        page.evaluate("navigator.serviceWorker.ready")

        deliver = push_delivery(devtools, url, registrations[-1]["registrationId"])
        with context.expect_event("requestfinished", lambda r: "/receipts/" in r.url) as sent:
            deliver(json.dumps(push))
        receipt_status = sent.value.response().status
        deliver("Something new in the shop")  # not JSON
        page.wait_for_function(f"{NOTIFICATIONS}.then(shown => shown.length === 2)")
        # The same push again, as after a sender that died before writing the first down:
        # it replaces its notification.
        with context.expect_event("requestfinished", lambda r: "/receipts/" in r.url):
            deliver(json.dumps(push))
        shown = page.evaluate(
            f"{NOTIFICATIONS}.then(shown => shown.map(n => [n.title, n.body, n.data.url]))"
        )
        browser.close()

    host = url.removeprefix("http://")
    assert sorted(shown) == sorted(
        [
            ["Mugs are back", "In store and online", url + "/shop/"],
            [host, "Something new in the shop", "/"],
        ]
    )
    assert receipt_status == 204
    delivery.refresh_from_db()
    assert delivery.shown_at is not None and delivery.clicked_at is None
