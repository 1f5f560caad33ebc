"""How fast the shop sends a campaign: its sender against a plain pywebpush loop.

    .venv/bin/python benchmarks/push.py [--subscriptions 2000] [--latency 0.02] [--profile]

A mock push service (tests/push/mock_service.py) runs in a process of its own, so that it
does not share the sender's CPU; it checks every push's VAPID token and answers 201 after
``--latency`` seconds. The default, 20 ms, is a push service across the internet, as FCM,
Mozilla's and Apple's are; ``--latency 0`` puts it on the same machine, where both senders
are bound by the CPU and the ratio is at its lowest. The
baseline pushes the campaign's notification to each subscription in turn with
``pywebpush.webpush()``, as a naive integration would; the sender is ``omni_plugin.push.campaigns.start``
on a campaign to the same subscriptions (fan-out, claiming, encryption, sending and recording
the outcomes). Uses the sandbox's settings on a throwaway test database (DATABASE_URL picks
PostgreSQL). Printed: pushes per second of each, the ratio, and the sender's pushes per
second of CPU time (all of its threads). ``--profile`` prints where the sender's time goes.
"""

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
import time
import urllib.request

# isort: off
from harness import ROOT, throwaway_database
from django.test import override_settings

# isort: on

SUBJECT = "mailto:push@oscar-omni-demo.com"
GOAL_RATIO = 10
GOAL_PER_CORE = 1000


class PushServiceProcess:
    """The mock push service, served by ``python -m tests.push.mock_service``."""

    def __init__(self, public_key, latency):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.push.mock_service", "--public-key", public_key]
            + ["--latency", str(latency)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.origin = self.process.stdout.readline().strip()
        if not self.origin:
            raise RuntimeError("The mock push service did not start.")

    def received(self):
        """``(pushes received, CPU seconds used)`` so far."""
        with urllib.request.urlopen(f"{self.origin}/received") as response:
            answer = json.load(response)
        return answer["count"], answer["cpu_seconds"]

    def stop(self):
        self.process.terminate()
        self.process.wait()


def make_subscriptions(origin, count):
    from omni_plugin.core.models import Profile
    from omni_plugin.push.models import PushSubscription
    from tests.push.shop import browser_keys

    profiles = Profile.objects.bulk_create(Profile() for _ in range(count))
    subscriptions = []
    for number, profile in enumerate(profiles):
        keys = browser_keys()
        subscriptions.append(
            PushSubscription(
                profile=profile,
                endpoint=f"{origin}/push/browser-{number}",
                p256dh=keys["p256dh"],
                auth=keys["auth"],
                device=PushSubscription.Device.DESKTOP,
            )
        )
    PushSubscription.objects.bulk_create(subscriptions, batch_size=500)
    return list(PushSubscription.objects.order_by("pk"))


def naive_loop(subscriptions, payload, private_key):
    """One ``webpush()`` call per subscription: sign, encrypt, connect, post, in turn."""
    from pywebpush import webpush

    for subscription in subscriptions:
        webpush(
            {
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            payload,
            vapid_private_key=private_key,
            vapid_claims={"sub": SUBJECT},
            ttl=86400,
        )


def send_campaign():
    from omni_plugin.push import campaigns
    from tests.push.shop import make_campaign

    campaign = campaigns.start(make_campaign())
    campaign.refresh_from_db()
    return campaign


def measured(work):
    """``(result, wall seconds, CPU seconds of this process)`` of ``work()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def profiled(work):
    """Run ``work()`` under cProfile, in this thread and in the transport's event loop."""
    from omni_plugin.push.transport import shared_transport

    loop_profile, main_profile = cProfile.Profile(), cProfile.Profile()
    transport = shared_transport()
    transport._run(_enable(loop_profile))
    try:
        main_profile.runcall(work)
    finally:
        transport._run(_disable(loop_profile))
    for title, profile in (("main thread", main_profile), ("transport loop", loop_profile)):
        print(f"\n--- where the sender's time goes: {title} (tottime) ---")
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)


async def _enable(profile):
    profile.enable()


async def _disable(profile):
    profile.disable()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=2000)
    parser.add_argument(
        "--latency", type=float, default=0.02, help="seconds the push service takes to answer"
    )
    parser.add_argument("--profile", action="store_true", help="profile the sender with cProfile")
    arguments = parser.parse_args()
    count = arguments.subscriptions

    from omni_plugin.push.payloads import campaign_message
    from omni_plugin.push.vapid import generate_keys
    from tests.push.shop import make_campaign

    public_key, private_key = generate_keys()
    service = PushServiceProcess(public_key, arguments.latency)
    try:
        with (
            throwaway_database(),
            override_settings(
                DEBUG=False,
                OMNI_PUSH_VAPID_PUBLIC_KEY=public_key,
                OMNI_PUSH_VAPID_PRIVATE_KEY=private_key,
                OMNI_PUSH_VAPID_SUBJECT=SUBJECT,
                OMNI_PUSH_EXTRA_SERVICE_HOSTS=["127.0.0.1"],
            ),
        ):
            subscriptions = make_subscriptions(service.origin, count)
            payload = campaign_message(make_campaign()).payload("r" * 40).decode()

            _, service_cpu_before = service.received()
            _, naive_wall, naive_cpu = measured(
                lambda: naive_loop(subscriptions, payload, private_key)
            )
            _, service_cpu_naive = service.received()
            campaign, sender_wall, sender_cpu = measured(send_campaign)
            received, service_cpu_sender = service.received()
            delivered = campaign.deliveries.filter(status="delivered").count()
            if arguments.profile:
                from omni_plugin.push.models import Campaign

                Campaign.objects.all().delete()
                profiled(send_campaign)
    finally:
        service.stop()

    assert delivered == count, f"{delivered} of {count} pushes delivered"
    assert received >= 2 * count, f"the push service received {received} pushes"
    naive_rate, sender_rate = count / naive_wall, count / sender_wall
    print(
        f"{count} subscriptions, push service in its own process answering after "
        f"{arguments.latency * 1000:.0f} ms, {os.cpu_count()} cores"
    )
    print(
        f"pywebpush loop: {naive_rate:,.0f} msg/s ({naive_wall:.2f} s), "
        f"{count / naive_cpu:,.0f} msg/s per core; "
        f"push service CPU {service_cpu_naive - service_cpu_before:.2f} s"
    )
    print(
        f"sender:         {sender_rate:,.0f} msg/s ({sender_wall:.2f} s), "
        f"{count / sender_cpu:,.0f} msg/s per core (goal {GOAL_PER_CORE:,}); "
        f"push service CPU {service_cpu_sender - service_cpu_naive:.2f} s"
    )
    print(f"sender / pywebpush loop: {sender_rate / naive_rate:.1f}x (goal {GOAL_RATIO}x)")


if __name__ == "__main__":
    main()
