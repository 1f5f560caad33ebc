from django.core.management.base import BaseCommand

from omni_plugin.messaging.tasks import dispatch_messages


class Command(BaseCommand):
    help = (
        "Send the messages deferred past quiet hours whose time has come, and the journeys' "
        "steps that are due. Run it every minute from cron unless a periodic task scheduler "
        "runs dispatch_messages."
    )

    def handle(self, *args, **options):
        result = dispatch_messages.call()
        self.stdout.write(
            f"Sent {result['deferred']} deferred message(s); "
            f"looked again at {result['settled']} push(es)."
        )
        if journeys := result.get("journeys"):
            self.stdout.write(
                ", ".join(f"{count} {what}" for what, count in journeys.items()) + " in journeys."
            )
