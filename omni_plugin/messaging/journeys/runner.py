"""Running the live journeys: enrolling customers, then sending the steps that are due.

``run_journeys`` is called every minute or so by the messaging dispatcher. It reads only
the events since its last run and the runs that are due, so its cost does not grow with
the customers who have nothing due.
"""

import logging
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omni_plugin.messaging.errors import MessagingError
from omni_plugin.messaging.intents import get_intent
from omni_plugin.messaging.models import Journey, JourneyRun, Message
from omni_plugin.messaging.sending import send_message

from .triggers import trigger_of

logger = logging.getLogger(__name__)

#: Events are read again this far back, for those written a little after they happened.
LATE_EVENTS = timedelta(minutes=5)
#: The most runs of one journey advanced in one go; the rest wait for the next run.
DUE_BATCH = 500
NOT_SENT = (Message.Status.SKIPPED, Message.Status.FAILED)


@dataclass
class JourneyCounts:
    enrolled: int = 0
    sent: int = 0
    stopped: int = 0


def run_journeys(now=None):
    """Enrol the customers each live journey finds and send their steps that are due.

    Returns how many runs started, messages were sent and runs stopped, as a dict.
    """
    now = now or timezone.now()
    counts = JourneyCounts()
    # A journey enrols what happens while it is live, not what happened before.
    Journey.objects.filter(live=False, enrolled_until__lt=now).update(enrolled_until=now)
    for journey in Journey.objects.filter(live=True).prefetch_related("steps"):
        trigger = trigger_of(journey)
        counts.enrolled += _enrol(journey, trigger, now)
        due = JourneyRun.objects.filter(
            journey=journey, status=JourneyRun.Status.ACTIVE, next_due_at__lte=now
        ).select_related("profile")
        for run in due.order_by("next_due_at", "pk")[:DUE_BATCH]:
            run.journey = journey
            _advance(run, trigger, now, counts)
    return asdict(counts)


def message_key(run, index):
    """What makes a step's message once-only: the run, the step, and when the run started."""
    return f"journey:{run.pk}:{index}:{run.started_at:%Y%m%d%H%M%S}"


def _enrol(journey, trigger, now):
    with transaction.atomic():
        enrolled = trigger.enrol(journey, journey.enrolled_until - LATE_EVENTS, now)
        Journey.objects.filter(pk=journey.pk, enrolled_until__lt=now).update(enrolled_until=now)
    return enrolled


def _advance(run, trigger, now, counts):
    """Send the run's latest due step, unless the run must stop; skip the older ones."""
    steps = run.journey.ordered_steps
    profile = run.profile
    reason = _gone(profile) or trigger.stop_reason(run, profile, now)
    if reason:
        _stop(run, reason)
        counts.stopped += 1
        return
    index = run.next_step
    while index + 1 < len(steps) and run.started_at + steps[index + 1].offset <= now:
        index += 1  # a step overtaken by the next one is not sent late
    if index < len(steps):
        try:
            counts.sent += _send(run, trigger, steps[index], index, now)
        except MessagingError as error:
            _stop(run, str(error))
            counts.stopped += 1
            return
    run.next_step = index + 1
    if run.next_step < len(steps):
        run.next_due_at = run.started_at + steps[run.next_step].offset
    else:
        run.status, run.next_due_at = JourneyRun.Status.COMPLETED, None
    run.save(update_fields=["next_step", "next_due_at", "status", "updated_at"])


def _send(run, trigger, step, index, now):
    """Hand the step's message over; 1 if it was, 0 if it no longer matters."""
    intent = trigger.intent_for(index)
    if now - (run.started_at + step.offset) > get_intent(intent).relevance:
        return 0
    message = send_message(
        intent,
        run.profile_id,
        trigger.content(run, step, run.profile),
        key=message_key(run, index),
        first_channel=step.channel or None,
        now=now,
    )
    return int(message.status not in NOT_SENT)


def _gone(profile):
    if profile.erased_at:
        return _("The customer's data was erased.")
    if profile.merged_into_id:
        return _("The customer's profile was merged into another.")
    return None


def _stop(run, reason):
    logger.info("Journey run #%s (%s) stopped: %s", run.pk, run, reason)
    run.status, run.stop_reason, run.next_due_at = JourneyRun.Status.STOPPED, reason, None
    run.save(update_fields=["status", "stop_reason", "next_due_at", "updated_at"])
