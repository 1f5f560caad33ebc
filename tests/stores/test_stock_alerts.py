"""Back-in-stock alerts: asked for on the product page by push, by email (confirmed first
when anonymous) or as an on-site notice, online or at a store; fired once, after the stock
save is committed, on the channel asked for, and never for another store or while the
product still cannot be bought."""

import json
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from conftest import PASSWORD, log_in
from conftest import make_customer as make_user
from django.core import mail
from django.core.management import call_command
from django.test import Client
from oscar.core.loading import get_model
from oscar.test.factories import create_product
from time_machine import escape_hatch

from omni_plugin.core.models import Profile
from omni_plugin.messaging.models import Message
from omni_plugin.stores.alerts.dispatch import dispatch_back_in_stock
from omni_plugin.stores.models import StockAlert
from tests.conftest import DESKTOP_BROWSER
from tests.stores.factories import MONDAY_NOON, create_store, store_stock

StockRecord = get_model("partner", "StockRecord")
ProductAlert = get_model("customer", "ProductAlert")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    """Monday noon in London: no quiet hours."""
    with time_machine.travel(MONDAY_NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def manchester(db):
    return create_store("Oscar Omni Manchester", "MAN-01", 53.4668, -2.2339)


@pytest.fixture
def london(db):
    return create_store("Oscar Omni London", "LON-01", 51.5142, -0.0931)


@pytest.fixture
def restock(django_capture_on_commit_callbacks):
    """Set a stock record's level as a stock clerk does, and commit."""

    def restock(record, num_in_stock):
        with django_capture_on_commit_callbacks(execute=True):
            record.num_in_stock = num_in_stock
            record.save()

    return restock


def warehouse(product):
    return product.stockrecords.get(partner__store__isnull=True)


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """Post the product page's alert form; the confirmation email goes on commit."""

    def ask(client, product, expected=302, **form):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/omni/stores/alerts/ask/{product.pk}/", form)
        assert response.status_code == expected, response.content[:500]
        return response

    return ask


def account_profile(user):
    return Profile.objects.get(identifiers__kind="user", identifiers__value=str(user.pk))


def alert_emails(address):
    return [email for email in mail.outbox if email.to == [address] and "Back" in email.subject]


def test_the_product_page_offers_the_alert_instead_of_oscars_form(client, sold_out):
    response = client.get(sold_out.get_absolute_url())

    html = response.content.decode()
    assert "Tell me when it&#x27;s back" in html or "Tell me when it's back" in html
    assert f'action="/omni/stores/alerts/ask/{sold_out.pk}/"' in html
    assert 'name="email"' in html  # an anonymous visitor gives an address
    assert "customer/alerts/create" not in html  # Oscar's own form is gone


def test_a_product_in_stock_shows_the_basket_form_and_no_alert(client, product):
    html = client.get(product.get_absolute_url()).content.decode()

    assert "/omni/stores/alerts/ask/" not in html
    assert 'id="add_to_basket_form"' in html


def test_an_anonymous_email_alert_waits_for_its_confirmation_then_fires_once(
    ask, client, sold_out, restock
):
    ask(client, sold_out, channel="email", email="Ann@Example.com")

    alert = StockAlert.objects.get()
    assert (alert.status, alert.email) == ("unconfirmed", "ann@example.com")
    (confirmation,) = mail.outbox
    assert confirmation.to == ["ann@example.com"]
    assert "Enamel Camping Mug" in confirmation.subject
    confirm_path = re.search(
        r"https?://[^/]+(/omni/stores/alerts/[^/]+/confirm/)", confirmation.body
    )

    # Unconfirmed, it fires for nobody: a stranger's address gets no more than the one mail.
    restock(warehouse(sold_out), 5)
    restock(warehouse(sold_out), 0)
    assert len(mail.outbox) == 1

    page = Client(HTTP_USER_AGENT=DESKTOP_BROWSER)  # the link opened in a mail app
    assert "Confirm" in page.get(confirm_path.group(1)).content.decode()
    assert StockAlert.objects.get().status == "unconfirmed"  # opening the link is not enough
    page.post(confirm_path.group(1))
    alert.refresh_from_db()
    assert alert.status == "active"

    restock(warehouse(sold_out), 4)
    restock(warehouse(sold_out), 6)  # a second rise tells nobody again

    (told,) = alert_emails("ann@example.com")
    assert "Back in stock: Enamel Camping Mug" in told.subject
    alert.refresh_from_db()
    assert alert.status == "sent" and alert.message.channel == "email"


def test_nothing_fires_while_the_product_still_cannot_be_bought(ask, client, sold_out, restock):
    user = make_user("bea@example.com")
    log_in(client, user.email)
    ask(client, sold_out, channel="email")
    record = warehouse(sold_out)
    record.num_allocated = 3
    record.save()

    restock(record, 3)  # all three are promised to orders already

    assert alert_emails("bea@example.com") == []
    assert StockAlert.objects.get().status == "active"


def test_the_message_goes_after_the_stock_save_is_committed(
    ask, client, sold_out, django_capture_on_commit_callbacks
):
    log_in(client, make_user("bea@example.com").email)
    ask(client, sold_out, channel="email")
    record = warehouse(sold_out)

    with django_capture_on_commit_callbacks() as callbacks:
        record.num_in_stock = 5
        record.save()
        assert alert_emails("bea@example.com") == []  # not inside the save's transaction

    for callback in callbacks:
        callback()
    assert len(alert_emails("bea@example.com")) == 1


def test_stock_gone_again_before_the_dispatch_tells_nobody(
    ask, client, sold_out, django_capture_on_commit_callbacks
):
    log_in(client, make_user("bea@example.com").email)
    ask(client, sold_out, channel="email")
    record = warehouse(sold_out)

    with django_capture_on_commit_callbacks(execute=True):
        record.num_in_stock = 1
        record.save()
        record.allocate(1)  # bought before the alerts went out

    assert alert_emails("bea@example.com") == []
    assert StockAlert.objects.get().status == "active"


def test_a_store_alert_fires_for_that_store_only(
    ask, client, sold_out, manchester, london, restock
):
    log_in(client, make_user("cy@example.com").email)
    at_manchester = store_stock(sold_out, manchester, 0)
    at_london = store_stock(sold_out, london, 0)
    ask(client, sold_out, channel="email", store="MAN-01")

    restock(at_london, 4)
    restock(warehouse(sold_out), 4)
    assert alert_emails("cy@example.com") == []

    restock(at_manchester, 2)

    (told,) = alert_emails("cy@example.com")
    assert "Back at Oscar Omni Manchester" in told.subject
    assert "collect it there" in told.body


def test_stock_released_by_an_expired_pickup_wakes_the_store_alert(
    ask, client, sold_out, manchester, django_capture_on_commit_callbacks
):
    log_in(client, make_user("cy@example.com").email)
    record = store_stock(sold_out, manchester, 2, num_allocated=2)
    ask(client, sold_out, channel="email", store="MAN-01")

    with django_capture_on_commit_callbacks(execute=True):
        record.cancel_allocation(2)  # Oscar's allocation path signals the save by hand

    assert len(alert_emails("cy@example.com")) == 1


def test_an_alert_on_a_parent_fires_when_one_of_its_variants_is_back(ask, client, restock):
    parent = create_product(title="Trail Shoe", structure="parent")
    size_42 = create_product(title="Trail Shoe, size 42", parent=parent, price="80", num_in_stock=0)
    create_product(title="Trail Shoe, size 43", parent=parent, price="80", num_in_stock=0)
    log_in(client, make_user("dan@example.com").email)
    ask(client, parent, channel="email")

    restock(warehouse(size_42), 3)

    (told,) = alert_emails("dan@example.com")
    assert "Trail Shoe, size 42" in told.subject
    assert parent.get_absolute_url() in told.body


def test_when_alerts_outnumber_the_stock_the_message_says_hurry(ask, sold_out, restock):
    clients = []
    for name in ("ann", "bea", "cy"):
        browser = Client(HTTP_USER_AGENT=DESKTOP_BROWSER)
        log_in(browser, make_user(f"{name}@example.com").email)
        ask(browser, sold_out, channel="email")
        clients.append(browser)

    restock(warehouse(sold_out), 2)

    bodies = [alert_emails(f"{name}@example.com")[0].body for name in ("ann", "bea", "cy")]
    assert all("Hurry, only 2 left." in body for body in bodies)
    assert StockAlert.objects.filter(status="sent").count() == 3


def test_an_account_holder_can_be_told_on_site(ask, client, sold_out, restock):
    user = make_user("eve@example.com")
    log_in(client, user.email)
    ask(client, sold_out, channel="onsite")

    restock(warehouse(sold_out), 3)

    notification = get_model("communication", "Notification").objects.get(recipient=user)
    assert "Back in stock: Enamel Camping Mug" in notification.subject
    assert alert_emails("eve@example.com") == []


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        ({"channel": "push"}, "cannot be told by Web push"),
        ({"channel": "onsite"}, "cannot be told by On-site notice"),
        ({"channel": "carrier pigeon"}, "cannot be told by carrier pigeon"),
        ({"channel": "email", "email": "not-an-address"}, "Enter a valid email address"),
        ({"channel": "email", "email": "null@example.com", "store": "NOPE-1"}, "not one of our"),
    ],
)
def test_bad_input_is_refused_with_the_reason_and_records_nothing(
    ask, client, sold_out, form, reason
):
    response = ask(client, sold_out, expected=400, **form)

    assert reason in response.content.decode()
    assert StockAlert.objects.count() == 0
    assert mail.outbox == []


def test_a_product_that_can_be_bought_needs_no_alert(ask, client, product):
    response = ask(client, product, expected=400, channel="email", email="ann@example.com")

    assert "is in stock online: no need to wait" in response.content.decode()
    assert StockAlert.objects.count() == 0


def test_a_store_closed_for_good_takes_no_alert(ask, client, sold_out, manchester):
    manchester.active = False
    manchester.save()

    response = ask(
        client, sold_out, expected=400, channel="email", email="a@example.com", store="MAN-01"
    )

    assert "closed for good" in response.content.decode()
    assert StockAlert.objects.count() == 0


def test_asking_twice_is_refused(ask, client, sold_out):
    log_in(client, make_user("bea@example.com").email)
    ask(client, sold_out, channel="email")

    response = ask(client, sold_out, expected=400, channel="onsite")

    assert "You will be told already" in response.content.decode()
    assert StockAlert.objects.count() == 1


def test_a_visitor_lists_and_cancels_their_alerts(ask, client, sold_out, manchester, restock):
    log_in(client, make_user("bea@example.com").email)
    store_stock(sold_out, manchester, 0)
    ask(client, sold_out, channel="email")
    ask(client, sold_out, channel="email", store="MAN-01")

    page = client.get("/omni/stores/alerts/").content.decode()
    assert page.count('data-alert="') == 2
    assert "Oscar Omni Manchester" in page and "Online" in page

    online = StockAlert.objects.get(store=None)
    client.post(f"/omni/stores/alerts/{online.key}/cancel/")
    online.refresh_from_db()
    assert online.status == "cancelled"

    restock(warehouse(sold_out), 5)
    assert alert_emails("bea@example.com") == []
    assert "Cancelled" in client.get("/omni/stores/alerts/").content.decode()


def test_an_unknown_link_is_refused(client):
    response = client.post("/omni/stores/alerts/forged-key/confirm/")

    assert response.status_code == 400
    assert "not one of ours" in response.content.decode()


def test_alerts_asked_anonymously_follow_the_visitor_into_their_account(
    ask, client, sold_out, manchester, restock
):
    store_stock(sold_out, manchester, 0)
    ask(client, sold_out, channel="email", email="fay@example.com", store="MAN-01")
    user = make_user("fay@example.com")

    log_in(client, user.email)

    assert StockAlert.objects.get().profile == account_profile(user)
    assert "Oscar Omni Manchester" in client.get("/omni/stores/alerts/").content.decode()


def test_registering_keeps_the_alerts_of_the_browser(ask, client, sold_out):
    ask(client, sold_out, channel="email", email="gus@example.com")

    client.post(
        "/shop/accounts/login/",
        {
            "registration-email": "gus@example.com",
            "registration-password1": PASSWORD,
            "registration-password2": PASSWORD,
            "registration_submit": "1",
        },
    )

    assert 'data-alert="' in client.get("/omni/stores/alerts/").content.decode()


def test_unconfirmed_alerts_are_cleaned_up_after_the_days_allowed(ask, client, sold_out, clock):
    ask(client, sold_out, channel="email", email="old@example.com")
    clock.shift(timedelta(days=2))
    ask(Client(HTTP_USER_AGENT=DESKTOP_BROWSER), sold_out, channel="email", email="new@example.com")
    clock.shift(timedelta(days=1, hours=1))

    call_command("omni_alerts_cleanup", stdout=open("/dev/null", "w"))

    assert list(StockAlert.objects.values_list("email", flat=True)) == ["new@example.com"]


def test_oscars_alert_and_the_plugins_for_one_person_make_one_message(
    ask, client, sold_out, restock
):
    user = make_user("hal@example.com")
    log_in(client, user.email)
    ask(client, sold_out, channel="email")
    oscars = ProductAlert.objects.create(product=sold_out, user=user, status=ProductAlert.ACTIVE)

    restock(warehouse(sold_out), 5)

    assert len(alert_emails("hal@example.com")) == 1
    oscars.refresh_from_db()
    assert oscars.status == ProductAlert.CLOSED


def test_oscars_anonymous_alert_is_sent_after_the_save_by_the_plugin(sold_out, restock):
    ProductAlert.objects.create(product=sold_out, email="ivy@example.com").confirm()

    restock(warehouse(sold_out), 5)

    (told,) = alert_emails("ivy@example.com")
    assert Message.objects.get().intent == "back_in_stock"
    assert ProductAlert.objects.get().status == ProductAlert.CLOSED


def test_oscars_two_alerts_of_one_person_in_one_chunk_make_one_message(sold_out, restock):
    user = make_user("joy@example.com")
    by_account = ProductAlert.objects.create(product=sold_out, user=user)
    by_account.confirm()
    by_address = ProductAlert.objects.create(product=sold_out, email="joy@example.com")
    by_address.confirm()
    stranger = ProductAlert.objects.create(product=sold_out, email="kit@example.com")
    stranger.confirm()

    restock(warehouse(sold_out), 5)

    assert len(alert_emails("joy@example.com")) == 1
    assert len(alert_emails("kit@example.com")) == 1
    assert set(ProductAlert.objects.values_list("status", flat=True)) == {ProductAlert.CLOSED}


def test_without_the_take_over_oscar_sends_its_own_alerts_and_the_plugin_offers_stores_only(
    ask, client, settings, sold_out, restock
):
    settings.OMNI_ALERTS_TAKE_OVER_OSCAR = False
    ProductAlert.objects.create(product=sold_out, email="ivy@example.com").confirm()

    assert 'id="alert_form"' in client.get(sold_out.get_absolute_url()).content.decode()
    response = ask(client, sold_out, expected=400, channel="email", email="jo@example.com")
    assert "shop's own form" in response.content.decode()

    restock(warehouse(sold_out), 5)

    assert len([email for email in mail.outbox if email.to == ["ivy@example.com"]]) == 1
    assert Message.objects.count() == 0  # Oscar's message, not the plugin's


def test_a_price_cut_on_a_wished_product_tells_its_owner_once(client, product, restock):
    from omni_plugin.core.consent import record_consent

    user = make_user("kim@example.com")
    log_in(client, user.email)
    record_consent(account_profile(user).pk, "email", "granted", source="account")
    wishlist = get_model("wishlists", "WishList").objects.create(owner=user, name="Camping")
    wishlist.add(product)
    record = warehouse(product)

    def reprice(price):
        record.price = Decimal(price)
        restock(record, record.num_in_stock)

    reprice("13.00")  # dearer: nothing
    reprice("9.99")
    reprice("9.99")

    (told,) = [email for email in mail.outbox if email.to == ["kim@example.com"]]
    assert "£9.99" in told.subject
    assert StockAlert.objects.get(kind="price_drop").status == "sent"


def test_staff_see_the_demand_per_product_and_store(ask, client, sold_out, manchester):
    from tests.conftest import admin_browser

    store_stock(sold_out, manchester, 0)
    for number in range(3):
        browser = Client(HTTP_USER_AGENT=DESKTOP_BROWSER)
        log_in(browser, make_user(f"w{number}@example.com").email)
        ask(browser, sold_out, channel="email", store="MAN-01" if number else "")

    page = (
        admin_browser("staff", is_staff=True, is_superuser=True)
        .get("/cms/reports/omni-alert-demand/")
        .content.decode()
    )

    row = re.search(r"Enamel Camping Mug.*?</tr>", page, re.S).group(0)
    cells = [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]
    assert "3" in cells and "1" in cells
    assert "Oscar Omni Manchester: 2" in row


def test_a_repeated_dispatch_fires_nothing_twice(ask, client, sold_out, restock):
    log_in(client, make_user("bea@example.com").email)
    ask(client, sold_out, channel="email")
    restock(warehouse(sold_out), 5)

    record = warehouse(sold_out)
    assert dispatch_back_in_stock.call(sold_out.pk, record.partner_id) == 0
    assert len(alert_emails("bea@example.com")) == 1


def test_an_anonymous_visitor_subscribed_to_push_is_told_by_push(
    ask, sold_out, restock, push_service, shop_key, clock, settings
):
    # The push service checks the VAPID token's expiry against its own clock.
    clock.move_to(datetime.fromtimestamp(escape_hatch.time.time(), UTC))
    settings.OMNI_MESSAGING_QUIET_HOURS = None
    browser = Client(HTTP_USER_AGENT=DESKTOP_BROWSER)
    subscription = push_service.create_subscription(shop_key)
    response = browser.post(
        "/omni/push/subscribe/",
        json.dumps({"endpoint": subscription["endpoint"], "keys": subscription["keys"]}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert 'value="push"' in browser.get(sold_out.get_absolute_url()).content.decode()
    ask(browser, sold_out, channel="push")

    restock(warehouse(sold_out), 5)

    (notification,) = [json.loads(payload) for payload in push_service.notifications(subscription)]
    assert notification["title"] == "Back in stock: Enamel Camping Mug"
    assert notification["url"].endswith(sold_out.get_absolute_url())
    assert mail.outbox == []
    assert StockAlert.objects.get().message.channel == "push"


def test_the_stores_fragment_offers_an_alert_for_the_visitors_store(client, sold_out, manchester):
    store_stock(sold_out, manchester, 0)

    html = client.get(f"/omni/stores/availability/{sold_out.pk}/").content.decode()

    assert "Tell me when I can collect it at Oscar Omni Manchester" in html
    assert 'name="store" value="MAN-01"' in html


def test_a_confirmed_address_of_a_customer_moves_the_alert_to_them(ask, client, sold_out):
    user = make_user("lea@example.com")
    account = Client(HTTP_USER_AGENT=DESKTOP_BROWSER)
    log_in(account, user.email)
    ask(client, sold_out, channel="email", email="lea@example.com")

    alert = StockAlert.objects.get()
    client.post(f"/omni/stores/alerts/{alert.key}/confirm/")

    alert.refresh_from_db()
    assert (alert.status, alert.profile) == ("active", account_profile(user))
    assert 'data-alert="' in account.get("/omni/stores/alerts/").content.decode()


def test_a_merge_keeps_one_alert_on_the_same_thing(ask, client, sold_out, restock):
    user = make_user("max@example.com")
    account = Client(HTTP_USER_AGENT=DESKTOP_BROWSER)
    log_in(account, user.email)
    ask(account, sold_out, channel="onsite")
    subscription_free = Client(HTTP_USER_AGENT=DESKTOP_BROWSER)
    ask(subscription_free, sold_out, channel="email", email="other@example.com")
    alert = StockAlert.objects.get(status="unconfirmed")
    subscription_free.post(f"/omni/stores/alerts/{alert.key}/confirm/")

    log_in(subscription_free, user.email)  # the second browser's profile joins the account's

    assert list(StockAlert.objects.values_list("status", flat=True).order_by("pk")) == [
        "active",
        "cancelled",
    ]
    restock(warehouse(sold_out), 5)
    assert Message.objects.filter(intent="back_in_stock").count() == 1


def test_a_stock_report_from_the_stores_till_wakes_its_alerts_only(
    ask, client, sold_out, manchester, london, django_capture_on_commit_callbacks
):
    from tests.pos.factories import till_of

    log_in(client, make_user("nia@example.com").email)
    store_stock(sold_out, manchester, 0)
    store_stock(sold_out, london, 0)
    ask(client, sold_out, channel="email", store="MAN-01")

    with django_capture_on_commit_callbacks(execute=True):
        london_report = till_of(london).post(
            "stock/", {"items": [{"product": sold_out.pk, "level": 3}]}
        )
    assert london_report.status_code == 200
    assert alert_emails("nia@example.com") == []

    with django_capture_on_commit_callbacks(execute=True):
        report = till_of(manchester).post(
            "stock/", {"items": [{"product": sold_out.pk, "delta": 2}]}
        )

    assert report.status_code == 200
    (told,) = alert_emails("nia@example.com")
    assert "Back at Oscar Omni Manchester" in told.subject


def test_the_till_sees_the_alerts_a_customer_waits_on_and_what_it_can_sell(
    ask, client, sold_out, manchester
):
    from tests.pos.factories import till_of

    log_in(client, make_user("ola@example.com").email)
    ask(client, sold_out, channel="email")
    store_stock(sold_out, manchester, 2)

    summary = till_of(manchester).post("customers/lookup/", {"email": "ola@example.com"}).json()

    (alert,) = summary["alerts"]
    assert alert["title"] == "Enamel Camping Mug" and alert["store"] == ""
    assert alert["in_stock_here"] is True
