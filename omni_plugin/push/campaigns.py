"""A campaign's life: started by an editor, fanned out to deliveries, then sent in chunks.

    start(campaign)   # draft -> sending (now) or scheduled (send time ahead); CampaignError
    cancel(campaign)  # scheduled or sending -> cancelled; what is not sent yet never will be

Fanning out writes one delivery per targeted subscription, each due when its recipient
should get it; a subscription over the frequency cap gets a skipped one, so the report
shows it. Fanning out again adds only what is missing, which makes it safe to repeat: a
fan-out whose worker died is started again by the dispatcher, and the campaign is not
finished until one has written every delivery.
"""

from django.db import transaction
from django.utils import timezone

from .audience import audience, with_recent_pushes
from .models import Campaign, Delivery
from .payloads import PayloadTooLarge, campaign_message
from .scheduling import due_at, fan_out_at
from .sending import LEASE
from .vapid import VapidError, configured_identity

FAN_OUT_BATCH = 2000
CAPPED_REASON = "Over the frequency cap."
CANCELLED_REASON = "The campaign was cancelled."


class CampaignError(ValueError):
    """The campaign cannot do what was asked; the message says why."""


def start(campaign):
    """Send the draft now, or schedule it when its send time is ahead."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status != Campaign.Status.DRAFT:
            raise CampaignError(
                f"The campaign is {campaign.get_status_display().lower()}: only a draft can start."
            )
        _check_sendable(campaign)
        now = timezone.now()
        if fan_out_at(campaign, now) > now:
            campaign.status = Campaign.Status.SCHEDULED
        else:
            campaign.status = Campaign.Status.SENDING
            campaign.started_at = now
            transaction.on_commit(lambda: _enqueue_fan_out(campaign.pk))
        campaign.save(update_fields=["status", "started_at", "updated_at"])
    return campaign


def cancel(campaign):
    """Stop a scheduled or sending campaign; its unsent deliveries are skipped."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status not in (Campaign.Status.SCHEDULED, Campaign.Status.SENDING):
            raise CampaignError(
                f"The campaign is {campaign.get_status_display().lower()}: "
                "only a scheduled or sending one can be cancelled."
            )
        campaign.status = Campaign.Status.CANCELLED
        campaign.finished_at = timezone.now()
        campaign.save(update_fields=["status", "finished_at", "updated_at"])
        campaign.deliveries.filter(status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SKIPPED, reason=CANCELLED_REASON
        )
    return campaign


def start_scheduled(now=None):
    """Start the scheduled campaigns whose time has come; their ids."""
    now = now or timezone.now()
    started = []
    for campaign in Campaign.objects.filter(status=Campaign.Status.SCHEDULED):
        if fan_out_at(campaign, now) > now:
            continue
        updated = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SCHEDULED).update(
            status=Campaign.Status.SENDING, started_at=now
        )
        if updated:
            _enqueue_fan_out(campaign.pk)
            started.append(campaign.pk)
    return started


def fan_out(campaign_id, now=None):
    """Write the campaign's missing deliveries; the number written."""
    now = now or timezone.now()
    campaign = Campaign.objects.get(pk=campaign_id)
    if campaign.status != Campaign.Status.SENDING:
        return 0
    targeted = with_recent_pushes(audience(campaign), campaign, now).exclude(
        deliveries__campaign=campaign
    )
    rows = targeted.order_by("pk").values_list("pk", "time_zone", "recent_pushes")
    cap = campaign.cap_count
    due_by_zone = {}
    batch, written = [], 0
    for subscription_id, time_zone, recent_pushes in rows.iterator(FAN_OUT_BATCH):
        if time_zone not in due_by_zone:
            due_by_zone[time_zone] = due_at(campaign, time_zone, now)
        capped = cap is not None and recent_pushes >= cap
        batch.append(
            Delivery(
                campaign_id=campaign.pk,
                subscription_id=subscription_id,
                due_at=due_by_zone[time_zone],
                status=Delivery.Status.SKIPPED if capped else Delivery.Status.PENDING,
                reason=CAPPED_REASON if capped else "",
            )
        )
        if len(batch) == FAN_OUT_BATCH:
            written += _write(batch)
            batch = []
    written += _write(batch)
    Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENDING).update(
        fanned_out_at=timezone.now()
    )
    return written


def restart_stalled_fan_outs(now=None):
    """Fan out again the sending campaigns whose fan-out should have ended long ago: its
    worker died half way. Their ids."""
    now = now or timezone.now()
    stalled = list(
        Campaign.objects.filter(
            status=Campaign.Status.SENDING,
            fanned_out_at__isnull=True,
            started_at__lt=now - LEASE,
        ).values_list("pk", flat=True)
    )
    for campaign_id in stalled:
        _enqueue_fan_out(campaign_id)
    return stalled


def _write(deliveries):
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    return len(deliveries)


def _check_sendable(campaign):
    try:
        identity = configured_identity()
    except VapidError as problem:
        raise CampaignError(str(problem)) from None
    if identity is None:
        raise CampaignError("Web push is off: the shop has no VAPID keys.")
    try:
        campaign_message(campaign).check_size()
    except PayloadTooLarge as problem:
        raise CampaignError(str(problem)) from None


def _enqueue_fan_out(campaign_id):
    from .tasks import fan_out_campaign

    fan_out_campaign.enqueue(campaign_id)
