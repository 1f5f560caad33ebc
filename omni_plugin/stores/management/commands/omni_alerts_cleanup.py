from django.core.management.base import BaseCommand

from omni_plugin.stores.alerts.cleanup import delete_unconfirmed_alerts


class Command(BaseCommand):
    help = (
        "Delete the email alerts of anonymous visitors that were not confirmed within "
        "OMNI_ALERTS_UNCONFIRMED_DAYS. Run it daily from cron unless a periodic task "
        "scheduler runs delete_unconfirmed_alerts."
    )

    def handle(self, *args, **options):
        deleted = delete_unconfirmed_alerts.call()
        self.stdout.write(f"Deleted {deleted} unconfirmed alert(s).")
