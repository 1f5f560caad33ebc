"""Push campaigns: who they reach, when each recipient gets them, and how they start,
fan out and stop. Sending itself is tested against push services in test_push_sending.py
and test_push_peer.py."""

from datetime import UTC, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from omni_plugin.core.consent import record_consent
from omni_plugin.core.merging import merge, undo
from omni_plugin.core.models import Profile
from omni_plugin.personalization.models import Segment, SegmentMembership
from omni_plugin.push.audience import audience, estimate
from omni_plugin.push.campaigns import CampaignError, cancel, fan_out, start, start_scheduled
from omni_plugin.push.messages import notify
from omni_plugin.push.models import Campaign, Delivery, PushSubscription
from omni_plugin.push.payloads import PayloadTooLarge, PushMessage, campaign_message
from omni_plugin.push.scheduling import due_at
from omni_plugin.push.vapid import b64url_encode, generate_keys
from omni_plugin.stores.models import Store

pytestmark = pytest.mark.django_db

MANCHESTER = (53.48, -2.24)
LIVERPOOL = (53.41, -2.98)  # 50 km from Manchester
LONDON = (51.51, -0.13)


@pytest.fixture(autouse=True)
def push_on(settings):
    settings.OMNI_PUSH_VAPID_PUBLIC_KEY, settings.OMNI_PUSH_VAPID_PRIVATE_KEY = generate_keys()
    settings.OMNI_PUSH_VAPID_SUBJECT = "mailto:push@oscar-omni-demo.com"


def subscribe(profile=None, *, coordinates=None, **fields):
    profile = profile or Profile.objects.create()
    latitude, longitude = coordinates or (None, None)
    public_key, _ = generate_keys()
    return PushSubscription.objects.create(
        profile=profile,
        origin_profile=profile,
        endpoint=f"https://fcm.googleapis.com/fcm/send/{PushSubscription.objects.count()}-token",
        p256dh=public_key,
        auth=b64url_encode(b"0123456789abcdef"),
        device="mobile",
        latitude=latitude,
        longitude=longitude,
        **fields,
    )


def campaign(**fields):
    values = {
        "name": "Winter sale",
        "title": "Winter sale",
        "body": "Everything half price until Sunday",
        "url": "/offers/",
        "quiet_hours_start": None,
        "quiet_hours_end": None,
        **fields,
    }
    return Campaign.objects.create(**values)


def targeted(a_campaign):
    return set(audience(a_campaign).values_list("pk", flat=True))


# Who a campaign reaches


def test_a_campaign_without_targeting_reaches_every_active_subscription():
    first, second = subscribe(), subscribe()
    ended = subscribe(active=False)

    assert targeted(campaign()) == {first.pk, second.pk}
    assert ended.pk not in targeted(campaign())


def test_segments_include_and_exclude_through_stored_memberships():
    regulars = Segment.objects.create(name="Regulars")
    bargain_hunters = Segment.objects.create(name="Bargain hunters")
    regular, hunter, both, neither = (subscribe() for _ in range(4))
    for subscription, segments in (
        (regular, [regulars]),
        (hunter, [bargain_hunters]),
        (both, [regulars, bargain_hunters]),
    ):
        for segment in segments:
            SegmentMembership.objects.create(segment=segment, profile=subscription.profile)
    for_regulars = campaign()
    for_regulars.include_segments.set([regulars])
    for_regulars.exclude_segments.set([bargain_hunters])

    assert targeted(for_regulars) == {regular.pk}


def test_places_match_any_named_country_region_or_city_ignoring_case():
    french = subscribe(country="FR", city="Paris")
    mancunian = subscribe(country="GB", region="England", city="Manchester")
    scot = subscribe(country="GB", region="Scotland", city="Glasgow")

    assert targeted(campaign(countries="fr")) == {french.pk}
    assert targeted(campaign(cities="manchester, Glasgow")) == {mancunian.pk, scot.pk}
    assert targeted(campaign(countries="FR", regions="scotland")) == {french.pk, scot.pk}


def test_a_radius_reaches_subscriptions_placed_within_it():
    near = subscribe(coordinates=MANCHESTER)
    fifty_km_away = subscribe(coordinates=LIVERPOOL)
    far = subscribe(coordinates=LONDON)
    unplaced = subscribe()
    latitude, longitude = MANCHESTER

    around_manchester = campaign(near_latitude=latitude, near_longitude=longitude)
    around_manchester.near_radius_km = 20
    assert targeted(around_manchester) == {near.pk}
    around_manchester.near_radius_km = 60
    assert targeted(around_manchester) == {near.pk, fifty_km_away.pk}
    assert far.pk not in targeted(around_manchester) and unplaced.pk not in targeted(
        around_manchester
    )


def test_a_radius_around_a_store_is_drawn_from_the_store():
    near = subscribe(coordinates=MANCHESTER)
    far = subscribe(coordinates=LONDON)
    store = Store.objects.create(
        name="Manchester",
        code="MAN-01",
        line1="1 Market Street",
        city="Manchester",
        country="GB",
        latitude=MANCHESTER[0],
        longitude=MANCHESTER[1],
    )

    around_the_store = campaign(near_store=store, near_radius_km=25)

    assert targeted(around_the_store) == {near.pk}
    assert far.pk not in targeted(around_the_store)


def test_a_profile_that_withdrew_consent_to_push_is_not_reached():
    consenting, withdrawn = subscribe(), subscribe()
    record_consent(withdrawn.profile_id, "push", "granted", source="push_prompt")
    record_consent(withdrawn.profile_id, "push", "withdrawn", source="privacy_page")
    record_consent(consenting.profile_id, "push", "withdrawn", source="privacy_page")
    record_consent(consenting.profile_id, "push", "granted", source="push_prompt")

    assert targeted(campaign()) == {consenting.pk}


def test_the_estimate_counts_the_subscriptions_the_cap_skips():
    busy, quiet = subscribe(), subscribe()
    earlier = campaign(status=Campaign.Status.SENT)
    Delivery.objects.create(campaign=earlier, subscription=busy, status="delivered")

    assert estimate(campaign(cap_count=1, cap_days=7)) == {
        "subscriptions": 2,
        "capped": 1,
        "reachable": 1,
    }
    assert estimate(campaign(cap_count=None))["capped"] == 0
    assert quiet.pk in targeted(campaign())


# When each recipient gets it


def moment(text, zone="UTC"):
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def test_a_campaign_without_send_time_is_due_at_once():
    now = moment("2026-03-02T10:00")

    assert due_at(campaign(), "Europe/Paris", now) == now


def test_local_time_delivery_reaches_each_zone_at_the_same_clock_time(settings):
    settings.TIME_ZONE = "Europe/London"
    nine_in_london = moment("2026-06-10T09:00", "Europe/London")
    local = campaign(send_at=nine_in_london, local_time_delivery=True)
    now = moment("2026-06-09T12:00")

    assert due_at(local, "Asia/Tokyo", now) == moment("2026-06-10T09:00", "Asia/Tokyo")
    assert due_at(local, "America/New_York", now) == moment("2026-06-10T09:00", "America/New_York")
    assert due_at(local, "", now) == nine_in_london


def test_a_local_time_that_has_passed_in_a_zone_is_due_at_once(settings):
    settings.TIME_ZONE = "Europe/London"
    local = campaign(send_at=moment("2026-06-10T09:00", "Europe/London"), local_time_delivery=True)
    now = moment("2026-06-10T08:30", "Europe/London")

    assert due_at(local, "Asia/Tokyo", now) == now


def test_quiet_hours_defer_to_the_morning_in_the_recipients_zone():
    evening_sale = campaign(quiet_hours_start=21, quiet_hours_end=8)
    half_past_ten_in_paris = moment("2026-01-15T21:30")  # 22:30 in Paris, 16:30 in New York

    assert due_at(evening_sale, "Europe/Paris", half_past_ten_in_paris) == moment(
        "2026-01-16T08:00", "Europe/Paris"
    )
    assert due_at(evening_sale, "America/New_York", half_past_ten_in_paris) == (
        half_past_ten_in_paris
    )
    three_in_the_morning = moment("2026-01-16T03:00", "Europe/Paris")
    assert due_at(evening_sale, "Europe/Paris", three_in_the_morning) == moment(
        "2026-01-16T08:00", "Europe/Paris"
    )


def test_quiet_hours_end_at_the_clock_time_across_a_daylight_saving_change():
    nightly = campaign(quiet_hours_start=22, quiet_hours_end=7)
    before_the_change = moment("2026-03-28T23:00", "Europe/Berlin")

    due = due_at(nightly, "Europe/Berlin", before_the_change)

    assert due == moment("2026-03-29T07:00", "Europe/Berlin")
    assert due.astimezone(UTC).hour == 5  # summer time began in the night


# Starting, fanning out and cancelling


def pending_deliveries(a_campaign):
    return a_campaign.deliveries.filter(status="pending")


def test_starting_a_scheduled_campaign_waits_for_its_time(django_capture_on_commit_callbacks):
    subscribe()
    tomorrow = campaign(send_at=timezone.now() + timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        started = start(tomorrow)

    assert started.status == Campaign.Status.SCHEDULED
    assert not Delivery.objects.exists()
    assert start_scheduled() == []
    assert start_scheduled(now=timezone.now() + timedelta(days=1, minutes=1)) == [tomorrow.pk]


def test_a_local_time_campaign_fans_out_when_the_earliest_zone_reaches_its_time():
    nine_tomorrow = timezone.now().replace(microsecond=0) + timedelta(days=1)
    local = campaign(send_at=nine_tomorrow, local_time_delivery=True)
    start(local)

    assert start_scheduled(now=nine_tomorrow - timedelta(hours=15)) == []
    assert start_scheduled(now=nine_tomorrow - timedelta(hours=13, minutes=59)) == [local.pk]


def test_only_a_draft_starts_and_the_reason_is_given():
    sent = campaign(status=Campaign.Status.SENT)

    with pytest.raises(CampaignError, match="sent: only a draft can start"):
        start(sent)


def test_a_campaign_does_not_start_while_web_push_is_off(settings):
    settings.OMNI_PUSH_VAPID_PUBLIC_KEY = settings.OMNI_PUSH_VAPID_PRIVATE_KEY = ""
    draft = campaign()

    with pytest.raises(CampaignError, match="no VAPID keys"):
        start(draft)
    draft.refresh_from_db()
    assert draft.status == Campaign.Status.DRAFT


def test_a_notification_too_large_for_a_push_is_refused_before_anything_is_sent():
    draft = campaign(body="x" * 4000)

    with pytest.raises(CampaignError, match="a push holds at most 3993"):
        start(draft)
    assert Campaign.objects.get().status == Campaign.Status.DRAFT
    with pytest.raises(PayloadTooLarge):
        PushMessage(title="Big", body="é" * 2000, url="/").check_size()


def test_fanning_out_writes_one_delivery_per_subscription_however_often_it_runs():
    first, second = subscribe(), subscribe()
    sending = campaign(status=Campaign.Status.SENDING)

    fan_out(sending.pk)
    fan_out(sending.pk)
    third = subscribe()
    fan_out(sending.pk)

    assert sorted(sending.deliveries.values_list("subscription_id", flat=True)) == [
        first.pk,
        second.pk,
        third.pk,
    ]


def test_fanning_out_skips_capped_subscriptions_with_the_reason():
    capped, fresh = subscribe(), subscribe()
    earlier = campaign(status=Campaign.Status.SENT)
    Delivery.objects.create(campaign=earlier, subscription=capped, status="delivered")
    sending = campaign(status=Campaign.Status.SENDING, cap_count=1)

    fan_out(sending.pk)

    assert dict(sending.deliveries.values_list("subscription_id", "status")) == {
        capped.pk: "skipped",
        fresh.pk: "pending",
    }
    assert sending.deliveries.get(subscription=capped).reason == "Over the frequency cap."


def test_fanning_out_sets_each_recipients_due_time():
    paris = subscribe(time_zone="Europe/Paris")
    tokyo = subscribe(time_zone="Asia/Tokyo")
    at_nine = timezone.now().replace(microsecond=0) + timedelta(days=1)
    sending = campaign(status=Campaign.Status.SENDING, send_at=at_nine, local_time_delivery=True)

    fan_out(sending.pk)

    due = dict(sending.deliveries.values_list("subscription_id", "due_at"))
    assert due[paris.pk] == due_at(sending, "Europe/Paris", timezone.now())
    assert due[tokyo.pk] - due[paris.pk] == timedelta(hours=-8)


def test_cancelling_skips_what_is_not_sent_and_keeps_what_is():
    sent_to, waiting = subscribe(), subscribe()
    sending = campaign(status=Campaign.Status.SENDING)
    Delivery.objects.create(campaign=sending, subscription=sent_to, status="delivered")
    Delivery.objects.create(campaign=sending, subscription=waiting)

    cancel(sending)

    assert dict(sending.deliveries.values_list("subscription_id", "status")) == {
        sent_to.pk: "delivered",
        waiting.pk: "skipped",
    }
    assert Campaign.objects.get().status == Campaign.Status.CANCELLED
    with pytest.raises(CampaignError, match="cancelled: only a scheduled or sending one"):
        cancel(sending)


def test_the_dispatch_command_starts_campaigns_whose_time_has_come():
    due = campaign(send_at=timezone.now() + timedelta(seconds=1))
    start(due)
    Campaign.objects.filter(pk=due.pk).update(send_at=timezone.now() - timedelta(minutes=1))

    output = StringIO()
    call_command("omni_push_dispatch", stdout=output)

    assert "Started 1 campaign(s)" in output.getvalue()
    assert Campaign.objects.get().status == Campaign.Status.SENT  # nobody to send to


# The notification


def test_the_campaign_link_is_tagged_for_attribution_unless_it_has_its_own_tags():
    tagged = campaign_message(campaign(url="/offers/?sort=price"))
    assert tagged.url.startswith("/offers/?sort=price&utm_source=omni&utm_medium=push")
    own = campaign_message(campaign(url="https://shop.example/?utm_source=spring"))
    assert own.url == "https://shop.example/?utm_source=spring"


# Triggered messages


def test_a_keyed_message_reaches_each_browser_of_the_profile_once(
    django_capture_on_commit_callbacks,
):
    profile = Profile.objects.create()
    phone, laptop = subscribe(profile), subscribe(profile)
    subscribe()  # someone else's
    message = PushMessage(title="Back in stock", body="Your size is back", url="/p/42/")

    with django_capture_on_commit_callbacks() as enqueued:
        first = notify(profile.pk, message, key="back_in_stock:7")
        again = notify(profile.pk, message, key="back_in_stock:7")

    assert {d.subscription_id for d in first} == {phone.pk, laptop.pk}
    assert [d.pk for d in again] == [d.pk for d in first]
    assert Delivery.objects.count() == 2
    assert Delivery.objects.first().message["title"] == "Back in stock"
    assert len(enqueued) == 2  # the second only re-enqueues the still pending ones


def test_subscriptions_follow_a_merge_and_go_back_when_it_is_undone():
    visitor, customer = Profile.objects.create(), Profile.objects.create()
    phone = subscribe(visitor)
    message = PushMessage(title="Ready", body="Your order is ready", url="/")

    journal = merge(customer.pk, visitor.pk, reason="login")
    phone.refresh_from_db()
    assert phone.profile_id == customer.pk
    assert [d.subscription_id for d in notify(visitor.pk, message)] == [phone.pk]

    undo(journal)
    phone.refresh_from_db()
    assert phone.profile_id == visitor.pk
