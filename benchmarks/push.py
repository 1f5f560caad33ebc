"""How fast the shop sends a campaign: its sender against the best a shop does with
pywebpush alone, and against a plain pywebpush loop.

    .venv/bin/pip install -e ".[bench]"   # pywebpush, for the two baselines
    .venv/bin/python benchmarks/push.py [--subscriptions 2000] [--latencies 0 0.02]
                                        [--rounds 3] [--profile]

A mock push service (tests/push/mock_service.py) runs in a process of its own, so that it
does not share the sender's CPU; it checks every push's VAPID token and answers 201 after
each ``--latencies`` value in turn: 0 puts it on the same machine, where every sender is
bound by the CPU; 20 ms is a push service across the internet, as FCM, Mozilla's and
Apple's are. Three ways of sending the campaign's notification to the same subscriptions,
taking turns round by round (which goes first rotates):

- the plain loop: ``pywebpush.webpush()`` for each subscription in turn, as a naive
  integration would (a connection and a VAPID signature per push);
- pywebpush at its best: its ``WebPusher.send_async`` on one shared aiohttp session, 100
  pushes in flight, the VAPID header signed once for the push service's origin;
- the sender: ``omni_plugin.push.campaigns.start`` on a campaign to the same
  subscriptions (fan-out, claiming, encryption, sending and recording the outcomes).

Uses the sandbox's settings on a throwaway test database (DATABASE_URL picks PostgreSQL).
Printed per latency: the pushes per second of each (median over the rounds, and each
round), their pushes per second of CPU time (all threads of this process), and the goals:
the sender at least 1.5x pywebpush at its best, and 2,000 pushes per second per core with
the push service on the same machine. ``--profile`` prints where the sender's time goes.
"""

import argparse
import cProfile
import os
import pstats
import time

# isort: off
from harness import throwaway_database
from push_service import PushServiceProcess, subscribe
from django.test import override_settings

# isort: on

SUBJECT = "mailto:push@oscar-omni-demo.com"
GOAL_RATIO = 1.5
GOAL_PER_CORE = 2000
IN_FLIGHT = 100


def make_subscriptions(origin, count):
    from omni_plugin.core.models import Profile

    return subscribe(Profile.objects.bulk_create(Profile() for _ in range(count)), origin)


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


def pywebpush_at_its_best(subscriptions, payload, private_key, origin):
    """``WebPusher.send_async`` on one aiohttp session, ``IN_FLIGHT`` at once, one VAPID
    signature for the push service's origin."""
    import asyncio

    import aiohttp
    from py_vapid import Vapid
    from pywebpush import WebPusher

    headers = Vapid.from_string(private_key=private_key).sign(
        {"sub": SUBJECT, "aud": origin, "exp": int(time.time()) + 12 * 60 * 60}
    )

    async def send_all():
        limit = asyncio.Semaphore(IN_FLIGHT)
        connector = aiohttp.TCPConnector(limit=IN_FLIGHT)
        async with aiohttp.ClientSession(connector=connector) as session:

            async def send(subscription):
                async with limit:
                    pusher = WebPusher(
                        {
                            "endpoint": subscription.endpoint,
                            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                        },
                        aiohttp_session=session,
                    )
                    response = await pusher.send_async(payload, dict(headers), ttl=86400)
                    assert response.status == 201, response.status

            await asyncio.gather(*(send(subscription) for subscription in subscriptions))

    asyncio.run(send_all())


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


def median(values):
    return sorted(values)[len(values) // 2]


def measure_at(latency, arguments, public_key, private_key):
    """``{way: [(pushes/s, pushes per CPU second)] per round}`` with the service at ``latency``."""
    from omni_plugin.push.models import Campaign, PushSubscription
    from omni_plugin.push.payloads import campaign_message
    from tests.push.shop import make_campaign

    count = arguments.subscriptions
    Campaign.objects.all().delete()  # those of the run at another latency
    PushSubscription.objects.all().delete()
    service = PushServiceProcess(public_key, latency)
    try:
        subscriptions = make_subscriptions(service.origin, count)
        payload = campaign_message(make_campaign()).payload("r" * 40).decode()
        ways = {
            "plain pywebpush loop": lambda: naive_loop(subscriptions, payload, private_key),
            "pywebpush at its best": lambda: pywebpush_at_its_best(
                subscriptions, payload, private_key, service.origin
            ),
            "sender": send_campaign,
        }
        rates = {name: [] for name in ways}
        names = list(ways)
        for round_number in range(arguments.rounds):
            shift = round_number % len(names)
            for name in names[shift:] + names[:shift]:
                result, wall, cpu = measured(ways[name])
                if name == "sender":
                    delivered = result.deliveries.filter(status="delivered").count()
                    assert delivered == count, f"{delivered} of {count} pushes delivered"
                rates[name].append((count / wall, count / cpu))
        received, _ = service.received()
        expected = len(ways) * arguments.rounds * count
        assert received >= expected, f"the push service received {received} of {expected}"
        if arguments.profile and latency == 0:
            profiled(send_campaign)
    finally:
        service.stop()
    return rates


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=2000)
    parser.add_argument(
        "--latencies",
        type=float,
        nargs="+",
        default=[0.0, 0.02],
        help="seconds the push service takes to answer, one run each",
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="profile the sender with cProfile")
    arguments = parser.parse_args()

    from omni_plugin.push.vapid import generate_keys

    public_key, private_key = generate_keys()
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
        for latency in arguments.latencies:
            rates = measure_at(latency, arguments, public_key, private_key)
            print(
                f"{arguments.subscriptions} subscriptions, push service in its own process "
                f"answering after {latency * 1000:.0f} ms, {os.cpu_count()} cores, "
                f"{arguments.rounds} rounds:"
            )
            for name, measured_rates in rates.items():
                rounds = ", ".join(f"{rate:,.0f}" for rate, _ in measured_rates)
                print(
                    f"  {name}: {median([r for r, _ in measured_rates]):,.0f} pushes/s "
                    f"(rounds: {rounds}), "
                    f"{median([c for _, c in measured_rates]):,.0f} pushes/s per core"
                )
            sender = median([r for r, _ in rates["sender"]])
            best = median([r for r, _ in rates["pywebpush at its best"]])
            per_core = median([c for _, c in rates["sender"]])
            ratio_met = sender / best >= GOAL_RATIO
            print(
                f"  sender / pywebpush at its best: {sender / best:.2f}x (goal: >= "
                f"{GOAL_RATIO}x: {'met' if ratio_met else 'missed'})"
            )
            if latency == 0:
                print(
                    f"  sender per core: {per_core:,.0f} pushes/s (goal: >= {GOAL_PER_CORE:,} "
                    f"with the service on this machine: "
                    f"{'met' if per_core >= GOAL_PER_CORE else 'missed'})"
                )


if __name__ == "__main__":
    main()
