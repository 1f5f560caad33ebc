"""How long a restock takes to tell everyone waiting for it: the plugin's back-in-stock
alerts, dispatched through the whole messaging path, against Oscar's eager alerts.

    .venv/bin/python benchmarks/alerts.py [--alerts 10000] [--rounds 4] [--push-share 0.2]

Uses the sandbox's settings on a throwaway test database (DATABASE_URL picks PostgreSQL,
REDIS_URL a Redis cache), Django's console email backend (its output counted, not shown)
and the mock push service in a process of its own. ``--alerts`` customers wait on each
side, split over ``--rounds`` rounds; in each round a sold-out product with Oscar's
``ProductAlert`` (sent by Oscar's eager receiver, ``OMNI_ALERTS_TAKE_OVER_OSCAR = False``)
and one with the plugin's alerts are restocked by saving their stock record, the two
taking turns (ABBA). Oscar's alerts go by email; of the plugin's customers,
``--push-share`` asked by web push from a subscribed browser, the others by email, each
message through consent, cap, quiet hours, duplicates, the log and the timeline, and for
pushes encryption, the push service's answer and the message settled.

After one small untimed restock each way (a worker's URLs, templates and push transport
loaded), timed per side: from the stock save to the last message out (Oscar sends inside the save;
the plugin after the commit, in-process as the embedded task backend runs it). Printed:
each side's total and messages per second, per round and over all, and the goals: the
plugin's total shorter than Oscar's, and at least 1,000 messages per second.
"""

import argparse
import contextlib
import io
import statistics
import time

# isort: off
from harness import throwaway_database
from push_service import PushServiceProcess, subscribe
from django.test import override_settings

# isort: on

GOAL_RATE = 1000
#: The line Django's console email backend writes after each email.
EMAIL_SEPARATOR = "-" * 79


class EmailCounter(io.TextIOBase):
    """A stream for the console email backend that counts the emails written to it."""

    def __init__(self):
        self.emails = 0

    def write(self, text):
        self.emails += text.count(EMAIL_SEPARATOR)
        return len(text)


def sold_out_product(title):
    from oscar.test.factories import create_product

    return create_product(title=title, price="12.50", num_in_stock=0)


def oscar_alerts(product, count, prefix):
    from oscar.core.loading import get_model

    ProductAlert = get_model("customer", "ProductAlert")
    ProductAlert.objects.bulk_create(
        (
            ProductAlert(
                product=product,
                email=f"{prefix}{n}@example.com",
                key=f"{prefix}{n}".rjust(32, "0"),
                status=ProductAlert.ACTIVE,
            )
            for n in range(count)
        ),
        batch_size=1000,
    )


def plugin_alerts(product, count, prefix, push_share, push_origin):
    """``count`` customers waiting for ``product``: profiles with an email address, a
    ``push_share`` of them with a subscribed browser that they asked to be told on."""
    from omni_plugin.core.models import Identifier, Profile
    from omni_plugin.stores.models import StockAlert

    profiles = Profile.objects.bulk_create(
        (Profile(snapshot={"email": f"{prefix}{n}@example.com"}) for n in range(count)),
        batch_size=1000,
    )
    Identifier.objects.bulk_create(
        (
            Identifier(profile=profile, kind="email", value=profile.snapshot["email"])
            for profile in profiles
        ),
        batch_size=1000,
    )
    pushed = profiles[: round(count * push_share)]
    subscribe(pushed, push_origin)
    by_push = {profile.pk for profile in pushed}
    StockAlert.objects.bulk_create(
        (
            StockAlert(
                profile=profile,
                origin_profile=profile,
                product=product,
                channel=StockAlert.Channel.PUSH
                if profile.pk in by_push
                else StockAlert.Channel.EMAIL,
                status=StockAlert.Status.ACTIVE,
            )
            for profile in profiles
        ),
        batch_size=1000,
    )
    return len(pushed)


def restock(product):
    """Save the product's stock record with stock in a transaction; the seconds until the
    commit's end, with what runs on commit."""
    from django.db import transaction

    record = product.stockrecords.get()
    record.num_in_stock = 50
    started = time.perf_counter()
    with transaction.atomic():
        record.save()
    return time.perf_counter() - started


def plugin_outcomes(product):
    from omni_plugin.messaging.models import Message
    from omni_plugin.stores.models import StockAlert

    messages = Message.objects.filter(
        pk__in=StockAlert.objects.filter(product=product).values("message_id")
    )
    return {
        channel: messages.filter(channel=channel, status="sent").count()
        for channel in ("email", "push")
    }


def warm_up(push_origin, counter):
    """One small restock each way, untimed: a worker has its URLs, templates and push
    transport loaded before the restocks that count."""
    oscars, plugins = sold_out_product("Warm-up, Oscar"), sold_out_product("Warm-up, plugin")
    oscar_alerts(oscars, 10, "oscar-warm-up-")
    plugin_alerts(plugins, 10, "omni-warm-up-", 0.5, push_origin)
    with contextlib.redirect_stdout(counter):
        with override_settings(OMNI_ALERTS_TAKE_OVER_OSCAR=False):
            restock(oscars)
        restock(plugins)


def rate(messages, seconds):
    return messages / seconds if seconds else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--push-share", type=float, default=0.2)
    options = parser.parse_args()
    per_round = options.alerts // options.rounds

    from omni_plugin.push.vapid import generate_keys

    public_key, private_key = generate_keys()
    service = PushServiceProcess(public_key)
    counter = EmailCounter()
    try:
        with (
            throwaway_database(),
            override_settings(
                DEBUG=False,
                OMNI_MESSAGING_QUIET_HOURS=None,
                EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
                OMNI_PUSH_VAPID_PUBLIC_KEY=public_key,
                OMNI_PUSH_VAPID_PRIVATE_KEY=private_key,
                OMNI_PUSH_EXTRA_SERVICE_HOSTS=["127.0.0.1"],
            ),
        ):
            warm_up(service.origin, counter)
            times = {"oscar": [], "plugin": []}
            sent = {"oscar": 0, "email": 0, "push": 0}
            pushes_asked = 0
            for round_number in range(options.rounds):
                oscars = sold_out_product(f"Restocked with Oscar's alerts, round {round_number}")
                oscar_alerts(oscars, per_round, f"oscar{round_number}-")
                plugins = sold_out_product(
                    f"Restocked with the plugin's alerts, round {round_number}"
                )
                pushes_asked += plugin_alerts(
                    plugins, per_round, f"omni{round_number}-", options.push_share, service.origin
                )
                order = ("oscar", "plugin") if round_number % 2 == 0 else ("plugin", "oscar")
                for side in order:
                    emails_before = counter.emails
                    with contextlib.redirect_stdout(counter):
                        if side == "oscar":
                            with override_settings(OMNI_ALERTS_TAKE_OVER_OSCAR=False):
                                times[side].append(restock(oscars))
                            sent["oscar"] += counter.emails - emails_before
                        else:
                            times[side].append(restock(plugins))
                            outcomes = plugin_outcomes(plugins)
                            sent["email"] += outcomes["email"]
                            sent["push"] += outcomes["push"]
            received, _cpu = service.received()
    finally:
        service.stop()

    total = per_round * options.rounds
    plugin_sent = sent["email"] + sent["push"]
    print(
        f"{total:,} customers waiting on each side, {options.rounds} rounds of {per_round:,} "
        f"taking turns; {pushes_asked:,} of the plugin's asked by web push"
    )
    for side, label in (("oscar", "Oscar's eager alerts"), ("plugin", "the plugin's alerts")):
        rounds = ", ".join(f"{per_round / t:,.0f}" for t in times[side])
        print(
            f"{label}: {sum(times[side]):.2f} s in all, "
            f"{rate(total, sum(times[side])):,.0f} messages/s "
            f"(per round: {rounds}; "
            f"median {statistics.median(per_round / t for t in times[side]):,.0f})"
        )
    print(
        f"sent: Oscar {sent['oscar']:,} emails; the plugin {sent['email']:,} emails and "
        f"{sent['push']:,} pushes ({received:,} pushes reached the push service)"
    )
    if sent["oscar"] != total or plugin_sent != total:
        print("not every customer was told: the figures above do not count")
    everyone_told = plugin_sent == total
    faster = everyone_told and sum(times["plugin"]) < sum(times["oscar"])
    plugin_rate = rate(total, sum(times["plugin"]))
    print(
        f"goal: the plugin tells everyone sooner than Oscar ({sum(times['plugin']):.2f} s "
        f"against {sum(times['oscar']):.2f} s): {'met' if faster else 'missed'}"
    )
    print(
        f"goal: at least {GOAL_RATE:,} messages/s through the whole messaging path "
        f"({plugin_rate:,.0f}): "
        f"{'met' if everyone_told and plugin_rate >= GOAL_RATE else 'missed'}"
    )


if __name__ == "__main__":
    main()
