"""Push campaigns in the Wagtail admin: writing, previewing, the audience, tests and sending."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from omni_plugin.core.models import Identifier, Profile
from omni_plugin.personalization.models import SegmentMembership
from omni_plugin.push.models import Campaign, Delivery, PushSubscription
from omni_plugin.push.payloads import campaign_message
from omni_plugin.stores.models import Store
from tests.conftest import admin_browser
from tests.personalization.segment_factories import make_segment
from tests.push.shop import browser_keys, make_campaign, use_vapid_identity

pytestmark = pytest.mark.django_db

CAMPAIGNS = "/cms/snippets/omni_push/campaign/"
REPORTS = "/cms/push-reports/"
LONDON, MANCHESTER, PARIS = (51.51, -0.13), (53.48, -2.24), (48.86, 2.35)


@pytest.fixture
def staff():
    return admin_browser("staff", is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True)
def push_on(settings):
    use_vapid_identity(settings)


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def campaign_form(**changes):
    """The edit form's POST data; a list value is a multiple choice."""
    data = {
        "name": "Spring sale",
        "title": "Spring is here",
        "body": "Everything in the garden is 20% off until Sunday.",
        "icon": "",
        "image": "",
        "url": "/offers/spring/",
        "countries": "",
        "regions": "",
        "cities": "",
        "near_latitude": "",
        "near_longitude": "",
        "near_radius_km": "",
        "send_at": "",
        "quiet_hours_start": "21",
        "quiet_hours_end": "9",
        "cap_count": "3",
        "cap_days": "7",
        "ttl": "86400",
        "urgency": "normal",
        "topic": "",
        **changes,
    }
    return {name: value for name, value in data.items() if value is not None}


def subscribe(profile=None, place=None, country="GB", active=True):
    latitude, longitude = place or (None, None)
    keys = browser_keys()
    return PushSubscription.objects.create(
        profile=profile or Profile.objects.create(),
        endpoint=f"https://fcm.googleapis.com/fcm/send/{PushSubscription.objects.count()}-token",
        p256dh=keys["p256dh"],
        auth=keys["auth"],
        device=PushSubscription.Device.DESKTOP,
        country=country,
        latitude=latitude,
        longitude=longitude,
        active=active,
    )


def profile_of(username):
    """The profile the admin user's account belongs to, as logging in on the shop makes it."""
    user = get_user_model().objects.get(username=username)
    profile = Profile.objects.create()
    Identifier.objects.create(profile=profile, kind=Identifier.Kind.USER, value=str(user.pk))
    return profile


def editor_with(username, *codenames):
    group = Group.objects.create(name=f"{username} group")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="omni_push", codename__in=codenames),
    )
    browser = admin_browser(username)
    get_user_model().objects.get(username=username).groups.add(group)
    return browser


# Writing a campaign


def test_the_push_menu_holds_campaigns_and_reports(staff):
    home = staff.get("/cms/").content.decode()

    assert "Push campaigns" in home
    assert CAMPAIGNS in home and REPORTS in home


def test_an_editor_writes_a_campaign_that_is_saved_as_a_draft(staff):
    segment = make_segment("Gardeners", ("device", {"devices": ["mobile"]}))
    data = campaign_form(countries="gb, ie", include_segments=[segment.pk])

    response = staff.post(f"{CAMPAIGNS}add/", data)

    assert response.status_code == 302, text(response)[:3000]
    campaign = Campaign.objects.get(name="Spring sale")
    assert campaign.status == Campaign.Status.DRAFT
    assert (campaign.title, campaign.url, campaign.countries) == (
        "Spring is here",
        "/offers/spring/",
        "GB, IE",
    )
    assert list(campaign.include_segments.all()) == [segment]


def test_an_https_address_elsewhere_is_a_valid_link(staff):
    response = staff.post(f"{CAMPAIGNS}add/", campaign_form(url="https://blog.example.com/spring"))

    assert response.status_code == 302, text(response)[:3000]


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"url": "javascript:alert(1)"}, "Enter a path on the shop (/offers/) or a full https://"),
        ({"url": "//evil.example.com/"}, "Enter a path on the shop (/offers/) or a full https://"),
        ({"url": "http://shop.example.com/"}, "Enter a path on the shop (/offers/)"),
        ({"countries": "GB, Britain"}, "Not ISO country codes: BRITAIN. Use two letters"),
        (
            {"near_latitude": "51.5", "near_radius_km": "10"},
            "Give both the latitude and the longitude of the point.",
        ),
        (
            {"near_latitude": "51.5", "near_longitude": "-0.12"},
            "Give a radius with a store or a point, or none of them.",
        ),
        ({"near_radius_km": "10"}, "Give a radius with a store or a point, or none of them."),
        ({"quiet_hours_end": ""}, "Give both quiet hours or neither."),
        (
            {"quiet_hours_start": "9", "quiet_hours_end": "9"},
            "Quiet hours must end at another hour than they start.",
        ),
        ({"title": ""}, "This field is required."),
    ],
)
def test_a_wrong_campaign_shows_the_error_and_saves_nothing(staff, changes, error):
    response = staff.post(f"{CAMPAIGNS}add/", campaign_form(**changes))

    assert response.status_code == 200
    assert error in text(response)
    assert not Campaign.objects.exists()


def test_a_radius_is_around_a_store_or_a_point_not_both(staff):
    store = Store.objects.create(
        name="Manchester",
        code="MAN-01",
        line1="1 Market St",
        city="Manchester",
        country="GB",
        latitude=53.48,
        longitude=-2.24,
    )
    around_the_store = campaign_form(near_store=store.pk, near_radius_km="15")

    both = staff.post(
        f"{CAMPAIGNS}add/", {**around_the_store, "near_latitude": "51.5", "near_longitude": "-0.12"}
    )
    assert "Choose a store or give a point, not both." in text(both)
    assert not Campaign.objects.exists()

    response = staff.post(f"{CAMPAIGNS}add/", around_the_store)
    assert response.status_code == 302
    assert Campaign.objects.get().near_centre == (53.48, -2.24)


def test_a_notification_too_large_for_a_push_is_refused_on_the_body(staff):
    # The fields' lengths keep real text within a push; a smaller limit shows the check.
    with mock.patch("omni_plugin.push.payloads.MAX_PAYLOAD_BYTES", 150):
        response = staff.post(f"{CAMPAIGNS}add/", campaign_form())

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "a push holds at most 150" in errors["body"][0]
    assert not Campaign.objects.exists()


def test_the_preview_draws_the_notification_as_it_is_typed(staff):
    data = campaign_form(title="Tulips are back", body="Fresh bulbs, 3 for 2.")

    response = staff.post(f"{CAMPAIGNS}preview/", data)
    assert response.json()["is_valid"] is True
    html = text(staff.get(f"{CAMPAIGNS}preview/"))

    assert "<h1>Tulips are back</h1>" in html
    assert "<p>Fresh bulbs, 3 for 2.</p>" in html
    assert "A click opens /offers/spring/?utm_source=omni" in html


def test_the_edit_page_offers_the_live_preview(staff):
    campaign = make_campaign()

    html = text(staff.get(f"{CAMPAIGNS}edit/{campaign.pk}/"))

    assert f"{CAMPAIGNS}preview/{campaign.pk}/" in html


# The audience


def test_the_edit_page_estimates_the_audience_of_the_saved_campaign(staff):
    regulars = make_segment("Regulars", ("device", {"devices": ["mobile"]}))
    reached = subscribe(place=LONDON)
    SegmentMembership.objects.create(segment=regulars, profile=subscribe(place=LONDON).profile)
    subscribe(place=MANCHESTER)  # outside the radius
    subscribe(place=PARIS, country="FR")
    subscribe(place=LONDON, active=False)
    capped = subscribe(place=LONDON)
    earlier = make_campaign(name="Earlier", status=Campaign.Status.SENT)
    Delivery.objects.create(campaign=earlier, subscription=capped, status=Delivery.Status.DELIVERED)
    campaign = make_campaign(
        countries="GB", near_latitude=51.5, near_longitude=-0.12, near_radius_km=30, cap_count=1
    )
    campaign.exclude_segments.add(regulars)

    html = text(staff.get(f"{CAMPAIGNS}edit/{campaign.pk}/"))

    assert 'data-figure="subscriptions">2<' in html
    assert 'data-figure="capped">1<' in html
    assert '<strong data-figure="reachable">1</strong>' in html
    assert reached.active


def test_a_new_campaign_asks_to_be_saved_for_its_estimate(staff):
    html = text(staff.get(f"{CAMPAIGNS}add/"))

    assert "Save the campaign, or fill in the form, to see how many subscriptions it reaches." in (
        html
    )


def test_the_estimate_counts_the_form_as_changed_and_keeps_nothing(staff):
    gardeners = make_segment("Gardeners", ("device", {"devices": ["mobile"]}))
    in_segment = subscribe(place=LONDON)
    SegmentMembership.objects.create(segment=gardeners, profile=in_segment.profile)
    subscribe(place=PARIS, country="FR"), subscribe(place=LONDON)
    campaign = make_campaign(countries="GB")

    data = campaign_form(countries="GB, FR", include_segments=[gardeners.pk], cap_count="")
    response = staff.post(f"{CAMPAIGNS}estimate/{campaign.pk}/", data)

    assert response.json() == {"subscriptions": 1, "capped": 0, "reachable": 1}
    campaign.refresh_from_db()
    assert campaign.countries == "GB" and not campaign.include_segments.exists()
    new = staff.post(f"{CAMPAIGNS}estimate/", campaign_form(countries="FR"))
    assert new.json()["subscriptions"] == 1
    assert Campaign.objects.count() == 1


def test_the_estimate_of_a_wrong_form_says_what_to_do(staff):
    response = staff.post(f"{CAMPAIGNS}estimate/", campaign_form(countries="Britain"))

    assert response.status_code == 400
    assert response.json() == {"error": "Correct the errors on the form to count the audience."}
    assert not Campaign.objects.exists()


# Testing on one's own browsers


def test_a_test_goes_to_the_editors_own_browsers(staff):
    profile = profile_of("staff")
    mine = {subscribe(profile).pk, subscribe(profile).pk}
    subscribe(profile, active=False)
    subscribe()  # someone else's
    campaign = make_campaign()
    delivered = [Delivery(status=Delivery.Status.DELIVERED) for _ in mine]

    assert "Send test to me" in text(staff.get(f"{CAMPAIGNS}edit/{campaign.pk}/"))
    with mock.patch("omni_plugin.push.messages.send_test", return_value=delivered) as send_test:
        response = staff.post(f"{CAMPAIGNS}send-test/{campaign.pk}/", follow=True)

    message, subscriptions = send_test.call_args.args
    assert message == campaign_message(campaign)
    assert {subscription.pk for subscription in subscriptions} == mine
    assert "Sent to 2 of your browsers." in messages_of(response)
    assert not Delivery.objects.filter(campaign=campaign).exists()


def test_a_test_names_the_browsers_it_did_not_reach(staff):
    profile = profile_of("staff")
    subscribe(profile), subscribe(profile)
    campaign = make_campaign()
    outcomes = [
        Delivery(status=Delivery.Status.DELIVERED),
        Delivery(status=Delivery.Status.EXPIRED, reason="410 Gone"),
    ]

    with mock.patch("omni_plugin.push.messages.send_test", return_value=outcomes):
        response = staff.post(f"{CAMPAIGNS}send-test/{campaign.pk}/", follow=True)

    assert messages_of(response) == [
        "Sent to 1 of your browsers.",
        "Not delivered to one of your browsers (expired subscription): 410 Gone",
    ]


def test_an_editor_without_a_subscription_is_told_how_to_get_one(staff):
    campaign = make_campaign()

    for response in (
        staff.get(f"{CAMPAIGNS}send-test/{campaign.pk}/", follow=True),
        staff.post(f"{CAMPAIGNS}send-test/{campaign.pk}/", follow=True),
    ):
        assert messages_of(response) == [
            "You have no push subscription: open the shop in this browser and allow "
            "notifications first."
        ]


# Sending, scheduling, cancelling


def test_sending_asks_for_confirmation_with_the_audience_then_sends(staff):
    subscribe(), subscribe()
    campaign = make_campaign()

    confirmation = text(staff.get(f"{CAMPAIGNS}send/{campaign.pk}/"))
    assert "Send the campaign now?" in confirmation
    assert "Reachable</dt><dd><strong>2</strong>" in confirmation.replace("> <", "><")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT

    response = staff.post(f"{CAMPAIGNS}send/{campaign.pk}/", follow=True)

    campaign.refresh_from_db()
    assert campaign.status in (Campaign.Status.SENDING, Campaign.Status.SENT)
    assert response.redirect_chain[-1][0] == f"{REPORTS}{campaign.pk}/"
    assert "The campaign “Spring sale” is being sent." in messages_of(response)


def test_a_campaign_with_a_future_send_time_is_scheduled(staff):
    send_at = timezone.now() + timedelta(days=2)
    campaign = make_campaign(send_at=send_at)

    assert "Schedule…" in text(staff.get(f"{CAMPAIGNS}edit/{campaign.pk}/"))
    assert "Schedule the campaign for" in text(staff.get(f"{CAMPAIGNS}send/{campaign.pk}/"))
    response = staff.post(f"{CAMPAIGNS}send/{campaign.pk}/", follow=True)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SCHEDULED
    assert "The campaign “Spring sale” is scheduled." in messages_of(response)
    assert response.redirect_chain[-1][0] == f"{CAMPAIGNS}inspect/{campaign.pk}/"


def test_a_campaign_that_cannot_start_says_why_and_stays_a_draft(staff, settings):
    settings.OMNI_PUSH_VAPID_PUBLIC_KEY = settings.OMNI_PUSH_VAPID_PRIVATE_KEY = ""
    campaign = make_campaign()

    response = staff.post(f"{CAMPAIGNS}send/{campaign.pk}/", follow=True)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert messages_of(response) == ["Web push is off: the shop has no VAPID keys."]


def test_a_scheduled_campaign_is_cancelled(staff):
    campaign = make_campaign(status=Campaign.Status.SCHEDULED)

    assert "Cancel…" in text(staff.get(f"{CAMPAIGNS}inspect/{campaign.pk}/"))
    response = staff.post(f"{CAMPAIGNS}cancel/{campaign.pk}/", follow=True)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CANCELLED
    assert "The campaign “Spring sale” is cancelled." in messages_of(response)


def test_a_sent_campaign_is_neither_sent_again_nor_cancelled(staff):
    campaign = make_campaign(status=Campaign.Status.SENT)

    for action in ("send", "cancel"):
        response = staff.post(f"{CAMPAIGNS}{action}/{campaign.pk}/", follow=True)
        assert "The campaign “Spring sale” is sent: it cannot be" in messages_of(response)[0]
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT


@pytest.mark.parametrize("status", ["scheduled", "sending", "sent", "cancelled"])
def test_only_drafts_can_be_edited(staff, status):
    campaign = make_campaign(status=status)
    inspect = f"{CAMPAIGNS}inspect/{campaign.pk}/"

    response = staff.get(f"{CAMPAIGNS}edit/{campaign.pk}/", follow=True)
    assert response.redirect_chain == [(inspect, 302)]
    assert "only drafts can be edited" in messages_of(response)[0]
    assert "Spring sale" in text(response)

    response = staff.post(f"{CAMPAIGNS}edit/{campaign.pk}/", campaign_form(title="Changed"))
    assert (response.status_code, response.url) == (302, inspect)
    campaign.refresh_from_db()
    assert campaign.title == "Spring sale"


def test_the_listing_shows_status_send_time_and_what_was_sent(staff):
    sent = make_campaign(name="Sent one", status=Campaign.Status.SENT)
    for clicked in (True, False, False):
        Delivery.objects.create(
            campaign=sent,
            subscription=subscribe(),
            status=Delivery.Status.DELIVERED,
            sent_at=timezone.now(),
            clicked_at=timezone.now() if clicked else None,
        )
    draft = make_campaign(name="Draft one")

    html = text(staff.get(CAMPAIGNS))

    row = html[html.index("Sent one") :].replace("<td > ", "<td>").replace(" </td>", "</td>")
    assert "<td>Sent</td> <td></td> <td>3</td> <td>1</td>" in row
    assert f"{REPORTS}{sent.pk}/" in html
    assert f"{CAMPAIGNS}inspect/{sent.pk}/" in html
    assert f"{CAMPAIGNS}edit/{draft.pk}/" in html and f"{CAMPAIGNS}edit/{sent.pk}/" not in html


# Who may do what


def test_an_editor_without_permission_opens_no_campaign():
    campaign = make_campaign()
    editor = editor_with("cashier")

    assert CAMPAIGNS not in editor.get("/cms/").content.decode()
    for url in (CAMPAIGNS, f"{CAMPAIGNS}edit/{campaign.pk}/", f"{CAMPAIGNS}send/{campaign.pk}/"):
        response = editor.get(url)
        assert (response.status_code, response.url) == (302, "/cms/")
    response = editor.post(f"{CAMPAIGNS}send-test/{campaign.pk}/")
    assert (response.status_code, response.url) == (302, "/cms/")


def test_an_editor_who_may_change_but_not_send_writes_and_tests_only():
    campaign = make_campaign()
    editor = editor_with("writer", "view_campaign", "change_campaign")

    page = text(editor.get(f"{CAMPAIGNS}edit/{campaign.pk}/"))
    assert "Send test to me" in page and "Send…" not in page
    response = editor.post(f"{CAMPAIGNS}send/{campaign.pk}/")

    assert (response.status_code, response.url) == (302, "/cms/")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_an_editor_who_may_send_sends():
    campaign = make_campaign()
    editor = editor_with("marketer", "view_campaign", "change_campaign", "send_campaign")

    assert "Send…" in text(editor.get(f"{CAMPAIGNS}edit/{campaign.pk}/"))
    editor.post(f"{CAMPAIGNS}send/{campaign.pk}/")

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING


def test_an_editor_who_may_only_view_reads_the_campaign_without_actions():
    campaign = make_campaign(status=Campaign.Status.SCHEDULED)
    viewer = editor_with("reader", "view_campaign")

    page = text(viewer.get(f"{CAMPAIGNS}inspect/{campaign.pk}/"))

    assert "Spring sale" in page and f"{REPORTS}{campaign.pk}/" in page
    assert "Send test to me" not in page and "Cancel…" not in page
