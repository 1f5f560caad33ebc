import json

from django.core.management.base import BaseCommand, CommandError

from ...gdpr import export_profile
from ..lookup import add_profile_arguments, profile_from_options


class Command(BaseCommand):
    help = "Write everything held about a customer profile as JSON, to stdout or a file."

    def add_arguments(self, parser):
        add_profile_arguments(parser)
        parser.add_argument("--output", metavar="FILE", help="Write to FILE instead of stdout.")

    def handle(self, *args, **options):
        profile = profile_from_options(options)
        document = json.dumps(export_profile(profile), indent=2)
        if options["output"] is None:
            self.stdout.write(document)
            return
        try:
            with open(options["output"], "w", encoding="utf-8") as output:
                output.write(document + "\n")
        except OSError as error:
            raise CommandError(f"Cannot write {options['output']}: {error.strerror}.") from None
        self.stderr.write(f"Profile #{profile.pk} written to {options['output']}.")
