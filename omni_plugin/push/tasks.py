"""Web push work done apart from requests: fanning campaigns out and sending in chunks.

Run by a worker when the shop configures one, in-process otherwise. Each task is safe to
run twice: deliveries are unique per campaign and subscription, and sending claims them.
"""

from django_tasks import task

from .campaigns import fan_out, restart_stalled_fan_outs, start_scheduled
from .models import Campaign
from .sending import chunks, due_delivery_ids, finish_campaigns, send_deliveries


@task()
def fan_out_campaign(campaign_id):
    """Write the campaign's deliveries, then send those due now in chunks."""
    written = fan_out(campaign_id)
    enqueue_due(due_delivery_ids().filter(campaign_id=campaign_id))
    finish_campaigns([campaign_id])  # when it reached nobody
    return written


@task()
def send_delivery_chunk(delivery_ids):
    """Send one chunk; what became of its pushes, by outcome."""
    return dict(send_deliveries(delivery_ids))


@task()
def dispatch_push():
    """Start the scheduled campaigns that are due, fan out again those whose fan-out died,
    and send every delivery whose time has come.

    Run every minute: by the shop's periodic scheduler, or ``manage.py omni_push_dispatch``.
    """
    started = start_scheduled()
    restart_stalled_fan_outs()
    enqueued = enqueue_due(due_delivery_ids())
    finish_campaigns(Campaign.objects.filter(status=Campaign.Status.SENDING).values("pk"))
    return {"started": started, "chunks": enqueued}


def enqueue_due(delivery_ids):
    """Enqueue a sending task per chunk of ``delivery_ids``; how many were enqueued."""
    enqueued = 0
    for chunk in chunks(list(delivery_ids)):
        send_delivery_chunk.enqueue(chunk)
        enqueued += 1
    return enqueued
