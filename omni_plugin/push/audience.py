"""Who a campaign reaches: the active subscriptions its targeting selects, in one query.

Segments match through the stored memberships (refreshed by the segments' task), places
by name as the segment rules match them (any of country, region or city), and a radius
around a store or a point by the great-circle distance from the subscription's city.
"""

from datetime import timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import ASin, Coalesce, Cos, Power, Radians, Sin, Sqrt
from django.utils import timezone

from omni_plugin.core.models import Consent
from omni_plugin.personalization.models import SegmentMembership

from .models import Delivery, PushSubscription

EARTH_RADIUS_KM = 6371.0
#: Deliveries that count toward a frequency cap: sent, or about to be.
COUNTED = (Delivery.Status.PENDING, Delivery.Status.SENDING, Delivery.Status.DELIVERED)


def audience(campaign):
    """The active subscriptions the campaign targets."""
    subscriptions = PushSubscription.objects.filter(
        active=True, profile__erased_at__isnull=True
    ).exclude(Exists(_withdrawn_consent()))
    include = list(campaign.include_segments.values_list("pk", flat=True))
    exclude = list(campaign.exclude_segments.values_list("pk", flat=True))
    if include:
        subscriptions = subscriptions.filter(Exists(_memberships(include)))
    if exclude:
        subscriptions = subscriptions.exclude(Exists(_memberships(exclude)))
    places = _places(campaign)
    if places:
        subscriptions = subscriptions.filter(places)
    centre = campaign.near_centre
    if centre is not None and campaign.near_radius_km is not None:
        subscriptions = _within(subscriptions, *centre, campaign.near_radius_km)
    return subscriptions


def with_recent_pushes(subscriptions, campaign, now=None):
    """Annotate ``recent_pushes``: the campaign pushes counted by the campaign's cap."""
    since = (now or timezone.now()) - timedelta(days=campaign.cap_days)
    recent = (
        Delivery.objects.filter(
            subscription=OuterRef("pk"),
            campaign__isnull=False,
            status__in=COUNTED,
            due_at__gte=since,
        )
        .exclude(campaign=campaign.pk)
        .order_by()
        .values("subscription")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return subscriptions.annotate(recent_pushes=Coalesce(Subquery(recent), 0))


def is_capped(campaign):
    """A filter on ``with_recent_pushes`` for the subscriptions the cap skips."""
    if campaign.cap_count is None:
        return Q(pk__in=[])
    return Q(recent_pushes__gte=campaign.cap_count)


def estimate(campaign):
    """How many subscriptions the campaign targets, how many its cap skips, and the rest."""
    targeted = with_recent_pushes(audience(campaign), campaign)
    counts = targeted.aggregate(
        subscriptions=Count("pk"), capped=Count("pk", filter=is_capped(campaign))
    )
    return {**counts, "reachable": counts["subscriptions"] - counts["capped"]}


def _memberships(segment_ids):
    return SegmentMembership.objects.filter(profile=OuterRef("profile"), segment__in=segment_ids)


def _withdrawn_consent():
    """The profile's newest decision on push, when it is not a grant."""
    newest = Consent.objects.filter(
        profile=OuterRef("profile"), purpose=Consent.Purpose.PUSH
    ).order_by("-recorded_at", "-id")
    return newest.filter(pk=Subquery(newest.values("pk")[:1])).exclude(
        status=Consent.Status.GRANTED
    )


def _names(text):
    return [name.strip() for name in (text or "").split(",") if name.strip()]


def _places(campaign):
    """Any of the named countries, regions or cities, ignoring case; None when none named."""
    condition = Q()
    for field, names in (
        ("country", _names(campaign.countries)),
        ("region", _names(campaign.regions)),
        ("city", _names(campaign.cities)),
    ):
        for name in names:
            condition |= Q(**{f"{field}__iexact": name})
    return condition or None


def _within(subscriptions, latitude, longitude, radius_km):
    """Subscriptions placed within ``radius_km`` of the point (haversine, in the database)."""
    degrees = radius_km / 111.0 + 0.01  # a box that holds the circle narrows the search
    subscriptions = subscriptions.filter(
        latitude__range=(latitude - degrees, latitude + degrees), longitude__isnull=False
    )
    lat1, lon1 = Radians(F("latitude")), Radians(F("longitude"))
    lat2, lon2 = Radians(latitude), Radians(longitude)
    half_chord = Power(Sin((lat2 - lat1) / 2), 2) + Cos(lat1) * Cos(lat2) * Power(
        Sin((lon2 - lon1) / 2), 2
    )
    distance = 2 * EARTH_RADIUS_KM * ASin(Sqrt(half_chord))
    return subscriptions.alias(distance_km=distance).filter(distance_km__lte=radius_km)
