from django.core.management.base import BaseCommand

from ...gdpr import erase_profile
from ..lookup import add_profile_arguments, profile_from_options


class Command(BaseCommand):
    help = (
        "Erase a customer profile and every profile merged into it: identifiers and "
        "consents deleted, events anonymised, snapshot emptied."
    )

    def add_arguments(self, parser):
        add_profile_arguments(parser)
        parser.add_argument(
            "--yes",
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Erase without asking for confirmation.",
        )

    def handle(self, *args, **options):
        profile = profile_from_options(options)
        if options["interactive"]:
            answer = input(
                f"Erase profile #{profile.pk} ({profile}) and every profile merged into it? "
                "This cannot be undone. Type 'yes' to erase: "
            )
            if answer.strip().lower() != "yes":
                self.stdout.write("Nothing was erased.")
                return
        erasure = erase_profile(profile)
        ids = ", ".join(f"#{pk}" for pk in erasure.profile_ids)
        self.stdout.write(
            self.style.SUCCESS(
                f"Erased profile {ids}: {erasure.identifiers} identifiers and "
                f"{erasure.consents} consents deleted, {erasure.events} events anonymised."
            )
        )
