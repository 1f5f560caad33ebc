from django.core.management.base import BaseCommand

from ...evidence import refresh_evidence
from ...memberships import refresh_memberships


class Command(BaseCommand):
    help = (
        "Recompute the evidence of segments' history rules and the stored segment "
        "memberships of every profile. Run it from cron (e.g. hourly) without Celery beat."
    )

    def handle(self, *args, **options):
        evidence = refresh_evidence()
        changed = refresh_memberships()
        self.stdout.write(
            f"Updated the rule evidence of {evidence} profiles; "
            f"{changed} segment memberships began or ended."
        )
