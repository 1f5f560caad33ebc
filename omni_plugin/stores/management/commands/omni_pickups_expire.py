from django.core.management.base import BaseCommand

from omni_plugin.stores.tasks import expire_pickups


class Command(BaseCommand):
    help = (
        "Expire the click and collect orders that were ready but not collected within "
        "OMNI_PICKUP_HOLD_DAYS, releasing their stock at the store. Run it every hour from "
        "cron unless a periodic task scheduler runs expire_pickups."
    )

    def handle(self, *args, **options):
        expired = expire_pickups.call()
        self.stdout.write(f"Expired {expired} pickup(s).")
