"""Messaging work done apart from requests, every minute: deferred messages whose time has
come, pushes whose outcome was never heard of, and the journeys' next steps."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from omni_plugin.messaging.models import Message

from .channels import installed_channels
from .journeys.runner import run_journeys
from .sending import CHUNK, send_due_messages, settle_messages

#: A message waiting this long for its pushes' outcomes is looked at again.
SETTLE_AFTER = timedelta(minutes=10)


@task()
def dispatch_messages():
    """Run every minute: by the shop's periodic scheduler, or ``manage.py omni_messaging_dispatch``."""
    now = timezone.now()
    result = {"deferred": send_due_messages(now), "settled": settle_stale_pushes(now)}
    result["journeys"] = run_journeys(now)
    return result


def settle_stale_pushes(now):
    """Look again at messages pushed long ago whose outcome never arrived (a worker that
    died before it told); how many there were."""
    answering_later = [c.name for c in installed_channels().values() if c.answers_later]
    stale = list(
        Message.objects.filter(
            status=Message.Status.SENDING,
            channel__in=answering_later,
            sent_at__lt=now - SETTLE_AFTER,
        ).values_list("pk", flat=True)
    )
    for start in range(0, len(stale), CHUNK):
        settle_messages(stale[start : start + CHUNK], now)
    return len(stale)
