"""The "Customers" area of the Wagtail admin, as staff see it."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from oscar.test.factories import CategoryFactory, create_product
from wagtail import hooks
from wagtail.admin.ui.components import Component

from omni_plugin.core.consent import record_consent
from omni_plugin.core.events import record
from omni_plugin.core.identity import attach
from omni_plugin.core.merging import merge
from omni_plugin.core.models import Event, Identifier, Merge, Profile
from omni_plugin.messaging.models import Message
from tests.conftest import admin_browser

pytestmark = pytest.mark.django_db

Kind = Identifier.Kind


@pytest.fixture
def staff():
    return admin_browser("staff", email="staff@example.com", is_staff=True, is_superuser=True)


def editor(*permissions):
    """A Wagtail editor whose group holds ``permissions`` (codenames of omni_plugin)."""
    group = Group.objects.create(name="Customer service")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="omni_plugin", codename__in=permissions)
    )
    browser = admin_browser("editor", email="editor@example.com")
    get_user_model().objects.get(username="editor").groups.add(group)
    return browser


def customer(email=None, **identifiers):
    """A profile holding ``email`` and ``identifiers`` (kind=value), attached as the shop does."""
    profile = Profile.objects.create()
    for kind, value in [*([("email", email)] if email else []), *identifiers.items()]:
        attach(profile.pk, kind, value, reason=Merge.Reason.STAFF)
    return profile


def page(response):
    assert response.status_code == 200
    return response.content.decode()


def listed_ids(response):
    """The ids of the profiles the customer list links to, in the order shown."""
    links = re.findall(r'href="/cms/customers/(\d+)/"', page(response))
    return [int(pk) for pk in dict.fromkeys(links)]  # a row links to its profile twice


def section(html, name):
    """The HTML of one section of a profile's page."""
    start = html.index(f'id="{name}-section"')
    return html[start : html.index("</section>", start)]


def messages_of(response):
    return [str(message).strip() for message in response.context["messages"]]


@pytest.fixture
def mug():
    product = create_product(title="Enamel Mug", price=Decimal("12.50"), num_in_stock=5)
    product.categories.add(CategoryFactory(name="Mugs"))
    return product


@pytest.fixture
def alice(mug):
    """A customer with an email, a phone, a loyalty card, consents, views, a basket and an order."""
    profile = customer("alice@example.com", phone="07911 123456", loyalty="LC-4411")
    record_consent(profile.pk, "email", "granted", source="checkout")
    record_consent(profile.pk, "push", "granted", source="account page")
    record_consent(profile.pk, "push", "withdrawn", source="till")
    record("product_viewed", profile=profile.pk, product=mug)
    record(
        "basket_addition",
        profile=profile.pk,
        product=mug,
        value=Decimal("12.50"),
        data={"lines": 1},
    )
    line = {"product_id": mug.pk, "quantity": 1, "category_ids": [mug.categories.get().pk]}
    record(
        "order_placed",
        profile=profile.pk,
        channel="store",
        order_number="100042",
        value=Decimal("45.00"),
        data={"lines": [line]},
    )
    return profile


def test_the_customers_menu_item_leads_to_the_list(staff, alice):
    home = page(staff.get("/cms/"))
    assert '"Customers"' in home and '"/cms/customers/"' in home

    response = staff.get("/cms/customers/")
    assert alice.pk in listed_ids(response)


def test_the_list_shows_who_when_orders_events_and_consents(staff, alice):
    anonymous = Profile.objects.create()
    record("product_viewed", profile=anonymous.pk)
    html = page(staff.get("/cms/customers/"))

    assert "alice@example.com" in html
    assert f"Anonymous visitor #{anonymous.pk}" in html
    assert "£45.00" in html
    assert "Email: Granted, Web push: Withdrawn" in html


def test_the_list_puts_the_newest_activity_first_and_leaves_out_merged_and_erased_profiles(staff):
    older, newer, merged, erased = (customer() for _ in range(4))
    now = timezone.now()
    Profile.objects.filter(pk=older.pk).update(last_seen=now - timedelta(days=3))
    Profile.objects.filter(pk=newer.pk).update(last_seen=now - timedelta(days=1))
    Profile.objects.filter(pk=merged.pk).update(merged_into=newer)
    Profile.objects.filter(pk=erased.pk).update(erased_at=now)

    shown = listed_ids(staff.get("/cms/customers/"))

    assert shown.index(newer.pk) < shown.index(older.pk)
    assert merged.pk not in shown and erased.pk not in shown


@pytest.mark.parametrize(
    "query",
    [
        "alice@example.com",
        "ALICE@Example.COM",
        " alice@example.com ",
        "07911 123456",
        "+44 7911 123456",
        "lc-4411",
    ],
)
def test_a_search_by_email_phone_or_loyalty_card_finds_the_customer(staff, alice, query):
    bob = customer("bob@example.com", phone="07911 654321", loyalty="LC-9999")

    shown = listed_ids(staff.get("/cms/customers/", {"q": query}))

    assert shown == [alice.pk]
    assert bob.pk not in shown


def test_a_phone_number_in_national_format_finds_the_profile_holding_it(staff):
    profile = Profile.objects.create()
    Identifier.objects.create(profile=profile, kind=Kind.PHONE, value="+447700900123")

    assert listed_ids(staff.get("/cms/customers/", {"q": "07700 900123"})) == [profile.pk]


def test_a_search_by_pos_customer_id_or_profile_id_finds_the_customer(staff):
    carol = customer(pos="POS-77")

    assert listed_ids(staff.get("/cms/customers/", {"q": "pos-77"})) == [carol.pk]
    assert listed_ids(staff.get("/cms/customers/", {"q": f"#{carol.pk}"})) == [carol.pk]
    assert listed_ids(staff.get("/cms/customers/", {"q": str(carol.pk)})) == [carol.pk]


@pytest.mark.parametrize(
    "query", ["nobody@example.com", "07911 000000", "null", "undefined", "0", "!!!", "@", "9" * 40]
)
def test_an_unknown_or_junk_query_finds_nobody_without_an_error(staff, alice, query):
    response = staff.get("/cms/customers/", {"q": query})

    assert listed_ids(response) == []
    assert "No customer profiles match your query." in page(response)


def test_the_results_view_answers_the_search_box_as_it_types(staff, alice):
    response = staff.get("/cms/customers/results/", {"q": "ALICE@example.com"})

    assert listed_ids(response) == [alice.pk]


def test_the_profile_page_shows_identifiers_consents_affinities_rfm_basket_products(
    staff, alice, mug
):
    html = page(staff.get(f"/cms/customers/{alice.pk}/"))

    identifiers = section(html, "identifiers")
    for value in ("alice@example.com", "+447911123456", "LC-4411"):
        assert value in identifiers
    consents = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section(html, "consents")))
    assert "Email Granted checkout" in consents
    assert "Web push Withdrawn till" in consents and "account page" not in consents
    assert "Mugs" in section(html, "affinities")
    orders = section(html, "orders")
    assert "1 order, 1 of them in store" in orders and "£45.00" in orders
    assert "Recency 5, frequency 2, monetary 1 (bucket 521)" in orders
    assert "1 line worth £12.50" in section(html, "basket")  # a till order leaves it alone
    product_link = f'href="/shop/dashboard/catalogue/products/{mug.pk}/">Enamel Mug</a>'
    assert product_link in section(html, "recent-products")


def test_the_timeline_lists_the_profiles_events_newest_first_with_their_details(staff, alice):
    html = page(staff.get(f"/cms/customers/{alice.pk}/"))

    timeline = section(html, "timeline")
    kinds = re.findall(r"<td>([A-Z][a-z]+ (?:viewed|addition|placed|recorded))</td>", timeline)
    assert kinds == ["Order placed", "Basket addition", "Product viewed", *["Consent recorded"] * 3]
    assert "Store / POS" in timeline and "Web shop" in timeline
    assert 'href="/shop/dashboard/orders/100042/">Order 100042</a>' in timeline
    assert "£45.00" in timeline
    assert "&quot;source&quot;: &quot;till&quot;" in timeline


def test_the_timeline_is_paginated(staff):
    profile = customer()
    for number in range(30):
        record("user_search", profile=profile.pk, data={"query": f"query-{number:02d}"})

    first = page(staff.get(f"/cms/customers/{profile.pk}/"))
    second = page(staff.get(f"/cms/customers/{profile.pk}/", {"p": 2}))

    assert "Page 1 of 2" in first
    assert "query-29" in first and "query-05" in first and "query-04" not in first
    assert "query-04" in second and "query-00" in second and "query-05" not in second


def test_a_merge_is_shown_on_both_profiles_and_undone_from_the_admin(
    staff, mug, django_capture_on_commit_callbacks
):
    survivor = customer("dana@example.com")
    merged = customer(loyalty="LC-5150")
    record("product_viewed", profile=merged.pk, product=mug)
    with django_capture_on_commit_callbacks(execute=True):
        journal = merge(survivor.pk, merged.pk, Merge.Reason.POS)
    assert Event.objects.filter(profile=survivor, kind="product_viewed").exists()
    assert listed_ids(staff.get("/cms/customers/", {"q": "LC-5150"})) == [survivor.pk]

    survivor_page = page(staff.get(f"/cms/customers/{survivor.pk}/"))
    assert "Identified at the till" in survivor_page
    merged_link = f'<a href="/cms/customers/{merged.pk}/">Profile #{merged.pk}</a>'
    assert f"{merged_link} merged into this one" in survivor_page
    undo_url = f"/cms/customers/merges/{journal.pk}/undo/"
    assert f'href="{undo_url}"' in survivor_page
    survivor_link = f'<a href="/cms/customers/{survivor.pk}/">profile #{survivor.pk}</a>'
    assert f"Merged into {survivor_link}" in page(staff.get(f"/cms/customers/{merged.pk}/"))

    assert "Yes, undo the merge" in page(staff.get(undo_url))
    response = staff.post(undo_url, follow=True)

    assert response.redirect_chain[-1][0] == f"/cms/customers/{merged.pk}/"
    assert messages_of(response) == [
        f"Merge undone: profile #{merged.pk} has its identifiers, consents and events back."
    ]
    merged.refresh_from_db()
    assert merged.merged_into is None
    assert Identifier.objects.get(kind=Kind.LOYALTY, value="LC-5150").profile_id == merged.pk
    assert Event.objects.filter(profile=merged, kind="product_viewed").exists()
    assert listed_ids(staff.get("/cms/customers/", {"q": "LC-5150"})) == [merged.pk]
    assert f'href="{undo_url}"' not in page(staff.get(f"/cms/customers/{survivor.pk}/"))


def test_undoing_a_merge_twice_says_it_was_undone_and_changes_nothing(
    staff, django_capture_on_commit_callbacks
):
    survivor, merged = customer(), customer()
    with django_capture_on_commit_callbacks(execute=True):
        journal = merge(survivor.pk, merged.pk, Merge.Reason.LOGIN)
    undo_url = f"/cms/customers/merges/{journal.pk}/undo/"
    staff.post(undo_url)

    again = staff.post(undo_url, follow=True)
    confirmation = staff.get(undo_url, follow=True)

    assert any("was already undone" in message for message in messages_of(again))
    assert any("was already undone" in message for message in messages_of(confirmation))
    assert Merge.objects.get(pk=journal.pk).undone_at is not None


def test_export_downloads_the_profile_as_json(staff, alice):
    export_url = f"/cms/customers/{alice.pk}/export/"
    assert f'href="{export_url}"' in page(staff.get(f"/cms/customers/{alice.pk}/"))

    response = staff.get(export_url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="customer-profile-{alice.pk}.json"'
    )
    data = json.loads(response.content)
    assert data["profile"]["id"] == alice.pk
    assert {"email": "alice@example.com", "loyalty": "LC-4411"}.items() <= {
        identifier["kind"]: identifier["value"] for identifier in data["identifiers"]
    }.items()
    assert {event["kind"] for event in data["events"]} >= {"order_placed", "product_viewed"}


def test_erase_asks_for_confirmation_then_empties_the_profile(staff, alice):
    erase_url = f"/cms/customers/{alice.pk}/erase/"
    assert f'href="{erase_url}"' in page(staff.get(f"/cms/customers/{alice.pk}/"))

    assert "Yes, erase" in page(staff.get(erase_url))
    assert Profile.objects.get(pk=alice.pk).erased_at is None

    response = staff.post(erase_url, follow=True)

    assert response.redirect_chain[-1][0] == "/cms/customers/"
    assert any(message.startswith(f"#{alice.pk} erased") for message in messages_of(response))
    alice.refresh_from_db()
    assert alice.erased_at is not None and alice.snapshot == {}
    assert not alice.identifiers.exists() and not alice.consents.exists()
    assert alice.pk not in listed_ids(response)
    assert listed_ids(staff.get("/cms/customers/", {"q": "alice@example.com"})) == []
    erased_page = page(staff.get(f"/cms/customers/{alice.pk}/"))
    assert "This profile was erased on" in erased_page and f'href="{erase_url}"' not in erased_page


def test_an_editor_without_permission_is_refused_and_sees_no_menu_item(alice):
    browser = editor()

    assert '"/cms/customers/"' not in page(browser.get("/cms/"))
    for url in (
        "/cms/customers/",
        f"/cms/customers/{alice.pk}/",
        f"/cms/customers/{alice.pk}/export/",
        f"/cms/customers/{alice.pk}/erase/",
    ):
        response = browser.get(url)
        assert response.status_code == 302 and response["Location"] == "/cms/", url
    assert browser.post(f"/cms/customers/{alice.pk}/erase/").status_code == 302
    assert Profile.objects.get(pk=alice.pk).erased_at is None


def test_an_editor_who_may_view_sees_profiles_but_may_not_erase_or_undo(
    alice, django_capture_on_commit_callbacks
):
    other = customer()
    with django_capture_on_commit_callbacks(execute=True):
        journal = merge(alice.pk, other.pk, Merge.Reason.CHECKOUT)
    browser = editor("view_profile")

    assert '"/cms/customers/"' in page(browser.get("/cms/"))
    html = page(browser.get(f"/cms/customers/{alice.pk}/"))
    assert "alice@example.com" in html
    assert "/erase/" not in html and "/undo/" not in html
    assert browser.post(f"/cms/customers/{alice.pk}/erase/").status_code == 302
    assert browser.post(f"/cms/customers/merges/{journal.pk}/undo/").status_code == 302
    assert Profile.objects.get(pk=alice.pk).erased_at is None
    assert Merge.objects.get(pk=journal.pk).undone_at is None


def test_an_editor_who_may_delete_profiles_may_erase(alice):
    browser = editor("view_profile", "delete_profile")

    erase_url = f"/cms/customers/{alice.pk}/erase/"
    assert f'href="{erase_url}"' in page(browser.get(f"/cms/customers/{alice.pk}/"))
    browser.post(erase_url)

    assert Profile.objects.get(pk=alice.pk).erased_at is not None


def test_profiles_cannot_be_created_or_edited_by_hand(staff, alice):
    html = page(staff.get("/cms/customers/"))

    assert "/cms/customers/new/" not in html
    assert staff.get("/cms/customers/new/").status_code == 404
    assert staff.get(f"/cms/customers/edit/{alice.pk}/").status_code == 404


def test_another_app_adds_a_section_to_the_profile_page_through_the_hook(staff, alice):
    class SegmentsPanel(Component):
        order = 250

        def render_html(self, parent_context=None):
            return "<section>In segment: Mug lovers</section>"

    def add_segments(request, profile, panels):
        panels.append(SegmentsPanel())

    assert "In segment: Mug lovers" not in page(staff.get(f"/cms/customers/{alice.pk}/"))
    with hooks.register_temporarily("construct_omni_profile_panels", add_segments):
        html = page(staff.get(f"/cms/customers/{alice.pk}/"))

    assert html.index('id="consents-section"') < html.index("In segment: Mug lovers")
    assert html.index("In segment: Mug lovers") < html.index('id="affinities-section"')


def test_the_messages_section_says_what_was_sent_and_why_the_rest_was_not(staff, alice):
    now = timezone.now()

    def message(intent, status, **fields):
        return Message.objects.create(
            profile=alice,
            origin_profile=alice,
            intent=intent,
            channels=["push", "email"],
            status=status,
            deadline=now + timedelta(days=1),
            **fields,
        )

    message(
        "basket_left",
        Message.Status.SKIPPED,
        content={"title": "Your mug is waiting"},
        reason=Message.Reason.CAPPED,
        detail="3 messages in the last 7 days",
        created_at=now - timedelta(hours=2),
    )
    message(
        "shop_newsletter",
        Message.Status.SENT,
        content={"title": "Autumn news"},
        channel="email",
        attempts=[
            {"channel": "push", "outcome": "failed", "detail": "gone", "at": now.isoformat()},
            {"channel": "email", "outcome": "sent", "detail": "", "at": now.isoformat()},
        ],
        sent_at=now,
        created_at=now - timedelta(hours=1),
    )

    html = page(staff.get(f"/cms/customers/{alice.pk}/"))

    messages = section(html, "messages")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", messages))
    assert text.index("Autumn news") < text.index("Your mug is waiting")
    assert "Basket left Your mug is waiting Skipped" in text
    assert "Frequency cap reached 3 messages in the last 7 days" in text
    assert "shop_newsletter Autumn news Sent email" in text
    assert "push: failed (gone)" in text and "email: sent" in text
    assert html.index('id="merges-section"') < html.index('id="messages-section"')
    assert html.index('id="messages-section"') < html.index('id="timeline-section"')


def test_a_profile_without_messages_says_so(staff, alice):
    html = page(staff.get(f"/cms/customers/{alice.pk}/"))

    assert "No message for this customer yet." in section(html, "messages")
