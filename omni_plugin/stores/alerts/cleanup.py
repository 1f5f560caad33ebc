"""Removing alerts whose address was never confirmed."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from omni_plugin.conf import omni_settings

from ..models import StockAlert


@task()
def delete_unconfirmed_alerts():
    """Delete the email alerts unconfirmed for ``OMNI_ALERTS_UNCONFIRMED_DAYS``; how many.

    Run it daily: by the shop's periodic scheduler, or ``manage.py omni_alerts_cleanup``.
    """
    cutoff = timezone.now() - timedelta(days=omni_settings.ALERTS_UNCONFIRMED_DAYS)
    deleted, _ = StockAlert.objects.filter(
        status=StockAlert.Status.UNCONFIRMED, created_at__lt=cutoff
    ).delete()
    return deleted
