"""Orders counted for the banner their customer last clicked within the attribution window.

The web shop's orders are attributed when Oscar's ``order_placed`` signal arrives
(``omni_plugin.banners.receivers``); orders recorded by other channels, such as the stores' tills,
are attributed by calling ``attribute_order`` with the customer's profile.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from omni_plugin.conf import omni_settings
from omni_plugin.core.models import Event

from .models import AttributedOrder, Banner
from .tally import add_to_stat


def last_click(profile_ids, before):
    """The newest ``banner_clicked`` event of the profiles within the window before ``before``."""
    window = timedelta(days=omni_settings.BANNER_ATTRIBUTION_DAYS)
    return (
        Event.objects.filter(
            profile_id__in=profile_ids,
            kind="banner_clicked",
            occurred_at__gte=before - window,
            occurred_at__lte=before,
        )
        .order_by("-occurred_at", "-id")
        .first()
    )


def attribute_order(*, number, placed_at, total, profile_ids):
    """Count an order and its total for the banner its customer last clicked.

    ``profile_ids`` are the profiles whose clicks count (the order's, and the browser's
    that placed it). Returns the ``AttributedOrder``, or None when no click qualifies or
    the order was attributed already.
    """
    if AttributedOrder.objects.filter(order_number=number).exists():
        return None
    click = last_click([pk for pk in profile_ids if pk is not None], placed_at)
    if click is None:
        return None
    banner_id, variant_id = click.data.get("banner"), click.data.get("variant")
    if not Banner.objects.filter(pk=banner_id).exists():
        return None  # the banner was deleted since
    try:
        with transaction.atomic():
            attributed = AttributedOrder.objects.create(
                order_number=number,
                banner_id=banner_id,
                variant=variant_id,
                revenue=total,
                placed_at=placed_at,
                clicked_at=click.occurred_at,
            )
            add_to_stat(
                banner_id, variant_id, timezone.localdate(placed_at), orders=1, revenue=total
            )
    except IntegrityError:
        return None  # a concurrent call attributed it first
    return attributed
