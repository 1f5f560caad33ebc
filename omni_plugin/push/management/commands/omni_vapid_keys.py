from django.core.management.base import BaseCommand

from ...vapid import generate_keys


class Command(BaseCommand):
    help = (
        "Print a new VAPID key pair for web push, as settings lines to paste into "
        "settings.py (or, with --env, as environment variables). Writes no file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--env",
            action="store_true",
            help="Print NAME=value lines for an environment file instead of settings lines.",
        )

    def handle(self, *args, **options):
        public_key, private_key = generate_keys()
        line = "{}={}" if options["env"] else '{} = "{}"'
        self.stdout.write(
            "# Web push keys: keep the private key secret. Subscriptions made with another "
            "pair refuse pushes signed with this one."
        )
        self.stdout.write(line.format("OMNI_PUSH_VAPID_PUBLIC_KEY", public_key))
        self.stdout.write(line.format("OMNI_PUSH_VAPID_PRIVATE_KEY", private_key))
        self.stdout.write(
            "# Also set OMNI_PUSH_VAPID_SUBJECT to a mailto: address or an https: URL on your "
            "public domain, such as mailto:webmaster@example.com."
        )
