"""Adding figures to a day's ``BannerStat`` row without losing a concurrent addition."""

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import BannerStat


def add_to_stat(banner_id, variant_id, day, **amounts):
    """Add ``amounts`` (impressions=, clicks=, orders=, revenue=) to the day's row."""
    rows = BannerStat.objects.filter(banner_id=banner_id, variant=variant_id, day=day)
    changes = {figure: F(figure) + amount for figure, amount in amounts.items()}
    if rows.update(**changes):
        return
    try:
        with transaction.atomic():
            BannerStat.objects.create(banner_id=banner_id, variant=variant_id, day=day, **amounts)
    except IntegrityError:
        rows.update(**changes)  # another writer created the row first
