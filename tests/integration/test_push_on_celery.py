"""A push campaign to 5,000 browsers sent by real Celery workers over Redis, from a
PostgreSQL database: every browser gets it once, also when the worker is stopped
mid-campaign, and a worker killed mid-campaign loses nothing. The push service is the
mock, in this process, counting what each browser gets."""

import time
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta

from django.db.models import F

from omni_plugin.conf import omni_settings
from omni_plugin.core.models import Profile
from omni_plugin.push import campaigns
from omni_plugin.push.models import Campaign, Delivery, PushSubscription
from omni_plugin.push.sending import LEASE, RECORD_EVERY
from omni_plugin.push.tasks import dispatch_push
from tests.integration.workers import CeleryWorker
from tests.push.mock_service import MockPushService
from tests.push.shop import browser_keys, make_campaign, use_vapid_identity

BROWSERS = 5000
CAMPAIGN_TIMEOUT = 180
WORKER_PROCESSES = 2


def subscribe_browsers(service, count):
    profiles = Profile.objects.bulk_create(Profile() for _ in range(count))
    keys = browser_keys()  # one pair for all: encryption is what costs, not making keys
    PushSubscription.objects.bulk_create(
        PushSubscription(
            profile=profile,
            endpoint=service.endpoint(f"browser-{n}"),
            p256dh=keys["p256dh"],
            auth=keys["auth"],
            device=PushSubscription.Device.DESKTOP,
        )
        for n, profile in enumerate(profiles)
    )


def worker_environment(settings):
    return {
        "OMNI_PUSH_VAPID_PUBLIC_KEY": settings.OMNI_PUSH_VAPID_PUBLIC_KEY,
        "OMNI_PUSH_VAPID_PRIVATE_KEY": settings.OMNI_PUSH_VAPID_PRIVATE_KEY,
        "OMNI_PUSH_VAPID_SUBJECT": settings.OMNI_PUSH_VAPID_SUBJECT,
        "REDIS_URL": settings.CACHES["default"]["LOCATION"],
    }


def wait_until(condition, timeout, what, worker):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Not {what} within {timeout} s. Worker log:\n{worker.log()}")
        time.sleep(0.2)


def campaign_sent(campaign):
    return lambda: Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENT


def receipts_per_browser(service):
    return Counter(push.path for push in service.received())


def test_a_campaign_reaches_5000_browsers_once_each_through_celery_workers(
    broker, database_url, settings
):
    shop_key = use_vapid_identity(settings)
    with MockPushService(public_key=shop_key) as service:
        subscribe_browsers(service, BROWSERS)
        campaign = make_campaign()
        with CeleryWorker(broker, database_url, worker_environment(settings)) as worker:
            started = time.monotonic()
            campaigns.start(campaign)

            wait_until(campaign_sent(campaign), CAMPAIGN_TIMEOUT, "sent", worker)
            elapsed = time.monotonic() - started

        receipts = receipts_per_browser(service)
    assert len(receipts) == BROWSERS
    assert set(receipts.values()) == {1}
    assert {push.status for push in service.received()} == {201}
    statuses = Counter(campaign.deliveries.values_list("status", flat=True))
    assert statuses == {Delivery.Status.DELIVERED: BROWSERS}
    print(f"\n{BROWSERS} pushes through Celery in {elapsed:.1f} s")


@contextmanager
def campaign_cut_short(broker, database_url, settings, interrupt):
    """A campaign to ``BROWSERS`` at the mock push service whose first worker is
    interrupted by ``interrupt(worker)`` once a third of the pushes are out; yields the
    service, the campaign and the environment for the workers that carry on."""
    shop_key = use_vapid_identity(settings)
    environment = worker_environment(settings)
    with MockPushService(public_key=shop_key) as service:
        subscribe_browsers(service, BROWSERS)
        campaign = make_campaign()
        with CeleryWorker(broker, database_url, environment, WORKER_PROCESSES) as first:
            campaigns.start(campaign)
            wait_until(lambda: len(service.received()) >= BROWSERS // 3, 120, "a third", first)
            interrupt(first)
        yield service, campaign, environment


def test_a_worker_stopped_mid_campaign_hands_on_its_work_with_no_push_lost_or_repeated(
    broker, database_url, settings
):
    with campaign_cut_short(broker, database_url, settings, CeleryWorker.terminate) as (
        service,
        campaign,
        environment,
    ):
        stopped_after = len(service.received())
        assert not campaign.deliveries.filter(status=Delivery.Status.SENDING).exists()
        assert campaign.deliveries.filter(status=Delivery.Status.PENDING).exists()

        with CeleryWorker(broker, database_url, environment) as second:
            wait_until(campaign_sent(campaign), CAMPAIGN_TIMEOUT, "sent", second)

        receipts = receipts_per_browser(service)
    assert len(receipts) == BROWSERS
    assert set(receipts.values()) == {1}, "no browser got the push twice"
    statuses = Counter(campaign.deliveries.values_list("status", flat=True))
    assert statuses == {Delivery.Status.DELIVERED: BROWSERS}
    print(f"\nStopped after {stopped_after} pushes; the next worker sent the rest once each.")


def test_a_worker_killed_mid_campaign_loses_no_push_and_repeats_only_those_in_flight(
    broker, database_url, settings
):
    with campaign_cut_short(broker, database_url, settings, CeleryWorker.kill) as (
        service,
        campaign,
        environment,
    ):
        # What the killed worker had claimed and not written down: in doubt, sent or not.
        in_doubt = set(
            campaign.deliveries.filter(status=Delivery.Status.SENDING).values_list(
                "subscription__endpoint", flat=True
            )
        )
        received_before_restart = len(service.received())

        with CeleryWorker(broker, database_url, environment) as second:
            # Ten minutes later the dead worker's claim has lapsed, and the dispatcher that
            # beat runs every minute hands its deliveries to the new worker.
            campaign.deliveries.filter(status=Delivery.Status.SENDING).update(
                claimed_at=F("claimed_at") - LEASE - timedelta(seconds=1)
            )
            dispatch_push.enqueue()
            wait_until(campaign_sent(campaign), CAMPAIGN_TIMEOUT, "sent", second)

        receipts = receipts_per_browser(service)
    assert len(receipts) == BROWSERS, "every browser got the campaign"
    statuses = Counter(campaign.deliveries.values_list("status", flat=True))
    assert statuses == {Delivery.Status.DELIVERED: BROWSERS}
    # Pushed twice at most, and only what a killed process had in flight or had not yet
    # written down: the pushes a sender can never know the fate of.
    repeated = {path for path, count in receipts.items() if count > 1}
    assert max(receipts.values()) <= 2
    assert repeated <= {endpoint[endpoint.index("/push/") :] for endpoint in in_doubt}
    assert len(repeated) <= WORKER_PROCESSES * (RECORD_EVERY + omni_settings.PUSH_CONCURRENCY)
    print(
        f"\nKilled after {received_before_restart} pushes with {len(in_doubt)} in doubt; "
        f"{len(repeated)} browsers got the push twice."
    )
