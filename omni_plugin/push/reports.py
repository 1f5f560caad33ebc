"""A push campaign's figures, counted from its deliveries in grouped queries.

Test pushes have no campaign, so they never count.
"""

from dataclasses import dataclass, fields
from datetime import timedelta

from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDay, TruncHour
from django.utils import timezone

from .models import Campaign, Delivery

#: A campaign is charted per hour while its activity fits in this span, else per day.
HOURLY_SPAN = timedelta(hours=48)
MAX_DAYS = 90
NOT_DELIVERED = (Delivery.Status.FAILED, Delivery.Status.EXPIRED, Delivery.Status.SKIPPED)

#: What each figure counts, as a filter on the deliveries.
CONDITIONS = {
    "sent": Q(sent_at__isnull=False),
    "delivered": Q(status=Delivery.Status.DELIVERED),
    "shown": Q(shown_at__isnull=False),
    "clicked": Q(clicked_at__isnull=False),
    "failed": Q(status=Delivery.Status.FAILED),
    "expired": Q(status=Delivery.Status.EXPIRED),
    "skipped": Q(status=Delivery.Status.SKIPPED),
    "waiting": Q(status__in=(Delivery.Status.PENDING, Delivery.Status.SENDING)),
}


@dataclass
class Figures:
    sent: int = 0
    delivered: int = 0
    shown: int = 0
    clicked: int = 0
    failed: int = 0
    expired: int = 0
    skipped: int = 0
    waiting: int = 0

    @classmethod
    def from_row(cls, row):
        """From a mapping that holds each figure (an aggregate's row)."""
        return cls(**{field.name: row[field.name] or 0 for field in fields(cls)})

    @property
    def delivery_rate(self):
        """Delivered per push sent."""
        return self.delivered / self.sent if self.sent else None

    @property
    def shown_rate(self):
        return self.shown / self.delivered if self.delivered else None

    @property
    def click_through(self):
        """Clicked per push delivered."""
        return self.clicked / self.delivered if self.delivered else None


def _counts(prefix=""):
    """The figures as ``Count`` aggregates, over ``prefix``-related deliveries."""

    def prefixed(condition):
        return Q(*[(f"{prefix}{lookup}", value) for lookup, value in condition.children])

    return {
        name: Count(f"{prefix}pk", filter=prefixed(condition))
        for name, condition in CONDITIONS.items()
    }


def campaign_totals():
    """Every campaign that was sent or scheduled, newest first, with its figures."""
    campaigns = (
        Campaign.objects.exclude(status=Campaign.Status.DRAFT)
        .annotate(**_counts("deliveries__"))
        .order_by("-started_at", "-created_at")
    )
    return [
        (campaign, Figures(**{name: getattr(campaign, name) for name in CONDITIONS}))
        for campaign in campaigns
    ]


@dataclass
class Timeline:
    """Delivered and clicked pushes per hour (or per day) from the campaign's start."""

    hourly: bool
    starts: list
    delivered: list
    clicked: list


@dataclass
class CampaignReport:
    campaign: Campaign
    figures: Figures
    timeline: Timeline | None
    not_delivered: list


def campaign_report(campaign):
    deliveries = Delivery.objects.filter(campaign=campaign)
    row = deliveries.aggregate(
        **_counts(), last_sent=Max("sent_at"), last_clicked=Max("clicked_at")
    )
    not_delivered = list(
        deliveries.filter(status__in=NOT_DELIVERED)
        .values("status", "reason", "http_status")
        .annotate(count=Count("pk"))
        .order_by("-count", "status", "reason")
    )
    labels = dict(Delivery.Status.choices)
    for group in not_delivered:
        group["status_label"] = labels[group["status"]]
    last = max(filter(None, (row["last_sent"], row["last_clicked"])), default=None)
    return CampaignReport(
        campaign, Figures.from_row(row), timeline(campaign, deliveries, last), not_delivered
    )


def timeline(campaign, deliveries, last):
    """Buckets from the start: 48 hours, or days up to the last send or click when longer."""
    if campaign.started_at is None:
        return None
    start = timezone.localtime(campaign.started_at)
    end = timezone.localtime(last) if last else start
    hourly = end - start < HOURLY_SPAN
    if hourly:
        first = start.replace(minute=0, second=0, microsecond=0)
        # Add hours in UTC: local clocks skip or repeat one when daylight saving changes.
        starts = [
            timezone.localtime(first + timedelta(hours=hour))
            for hour in range(int(HOURLY_SPAN / timedelta(hours=1)))
        ]
        trunc = TruncHour
    else:
        days = min((end.date() - start.date()).days + 1, MAX_DAYS)
        starts = [start.date() + timedelta(days=day) for day in range(days)]
        trunc = TruncDay

    def per_bucket(queryset, moment):
        counts = (
            queryset.annotate(bucket=trunc(moment))
            .values("bucket")
            .annotate(count=Count("pk"))
            .values_list("bucket", "count")
        )
        by_bucket = {
            (bucket if hourly else timezone.localtime(bucket).date()): count
            for bucket, count in counts
        }
        return [by_bucket.get(bucket, 0) for bucket in starts]

    delivered = deliveries.filter(status=Delivery.Status.DELIVERED, sent_at__isnull=False)
    clicked = deliveries.filter(clicked_at__isnull=False)
    return Timeline(
        hourly, starts, per_bucket(delivered, "sent_at"), per_bucket(clicked, "clicked_at")
    )
