from django.core.management.base import BaseCommand

from omni_plugin.push.tasks import dispatch_push


class Command(BaseCommand):
    help = (
        "Start the push campaigns whose time has come and send every push that is due, such as "
        "retries and local-time deliveries. Run it every minute from cron unless a periodic "
        "task scheduler runs dispatch_push."
    )

    def handle(self, *args, **options):
        result = dispatch_push.call()
        self.stdout.write(
            f"Started {len(result['started'])} campaign(s); "
            f"enqueued {result['chunks']} chunk(s) of pushes."
        )
