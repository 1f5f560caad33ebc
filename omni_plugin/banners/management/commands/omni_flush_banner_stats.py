from django.core.management.base import BaseCommand

from ...tracking import flush_stats


class Command(BaseCommand):
    help = (
        "Write the banner impressions and clicks counted in the cache to the daily "
        "statistics. Run it from cron (e.g. every few minutes) when no worker runs tasks."
    )

    def handle(self, *args, **options):
        rows = flush_stats()
        self.stdout.write(f"Updated the statistics of {rows} banner variant days.")
