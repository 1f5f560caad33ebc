"""What the one entry point costs over sending the email directly, and what a journeys tick
costs when nothing is due.

    .venv/bin/python benchmarks/messaging.py [--messages 500] [--runs 5000]

Uses the sandbox's settings on a throwaway test database (DATABASE_URL picks PostgreSQL,
REDIS_URL a Redis cache), with Django's in-memory mail backend. Printed, measured in the
same run:

- messages per second of ``send_message`` (dedupe, consent, cap, quiet hours, the log and
  the timeline event, then Oscar's email) against rendering the intent's email and sending
  it with Oscar's ``Dispatcher`` alone, one customer after another;
- the time of a ``run_journeys`` tick with ``--runs`` customers waiting in a journey (none
  due) against a tick with 10 waiting.
"""

import argparse
import time

# isort: off
from harness import throwaway_database
from django.test import override_settings

# isort: on

SMALL_JOURNEY = 10


def customers(count):
    from tests.messaging.factories import make_customer

    return [make_customer(f"customer{n}@example.com") for n in range(count)]


def send_directly(profiles, content):
    """The baseline: the intent's email rendered and sent by Oscar, with no checks."""
    from oscar.core.loading import get_class, get_model

    from omni_plugin.messaging.intents import get_intent

    CommunicationEventType = get_model("communication", "CommunicationEventType")
    dispatcher = get_class("communication.utils", "Dispatcher")()
    code = get_intent("back_in_stock").email_code
    for profile in profiles:
        messages = CommunicationEventType.objects.get_and_render(code, content.as_dict())
        dispatcher.send_email_messages(profile.snapshot["email"], messages)


def send_through_messaging(profiles, content):
    from omni_plugin.messaging.sending import send_message

    for profile in profiles:
        message = send_message("back_in_stock", profile, content, key="product:1")
        assert message.status == "sent", message.detail


def timed(function, *args):
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def waiting_journey(name, profiles):
    """A live basket-left journey with a run per profile, its first step a day away."""
    from django.utils import timezone

    from omni_plugin.messaging.models import Journey, JourneyRun, JourneyStep

    journey = Journey.objects.create(name=name, trigger="basket_left", live=True)
    JourneyStep.objects.create(
        journey=journey, delay=24, delay_unit="hours", title="Your basket", body="It waits."
    )
    now = timezone.now()
    JourneyRun.objects.bulk_create(
        JourneyRun(
            journey=journey,
            profile=profile,
            key="basket",
            started_at=now,
            next_due_at=now + journey.ordered_steps[0].offset,
        )
        for profile in profiles
    )
    return journey


def tick_time(repeat=5):
    from omni_plugin.messaging.journeys.runner import run_journeys

    return min(timed(run_journeys) for _ in range(repeat))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5000)
    options = parser.parse_args()

    from omni_plugin.messaging.content import MessageContent
    from omni_plugin.messaging.models import Journey

    content = MessageContent(
        title="Back in stock", body="The Enamel Mug is back, in blue.", url="/catalogue/mug_1/"
    )
    with throwaway_database(), override_settings(OMNI_MESSAGING_QUIET_HOURS=None):
        direct_time = timed(send_directly, customers(options.messages), content)
        profiles = customers(options.messages)
        messaging_time = timed(send_through_messaging, profiles, content)
        direct_rate = options.messages / direct_time
        messaging_rate = options.messages / messaging_time
        print(f"email sent directly with Oscar's Dispatcher: {direct_rate:,.0f} msg/s")
        print(f"email through send_message:                 {messaging_rate:,.0f} msg/s")
        print(f"send_message costs {direct_rate / messaging_rate:.2f}x the direct send")

        small = waiting_journey("Small", profiles[:SMALL_JOURNEY])
        small_tick = tick_time()
        Journey.objects.filter(pk=small.pk).update(live=False)
        waiting_journey("Large", customers(options.runs))
        large_tick = tick_time()
        print(f"journeys tick, {SMALL_JOURNEY} customers waiting: {small_tick * 1000:.1f} ms")
        print(f"journeys tick, {options.runs} customers waiting: {large_tick * 1000:.1f} ms")
        print(
            f"a tick with {options.runs // SMALL_JOURNEY}x the customers waiting costs "
            f"{large_tick / small_tick:.2f}x"
        )


if __name__ == "__main__":
    main()
