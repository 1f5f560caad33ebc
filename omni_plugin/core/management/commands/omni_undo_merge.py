from django.core.management.base import BaseCommand, CommandError

from omni_plugin.core.models import Consent, Event, Identifier, Merge

from ...merging import MergeError, undo


class Command(BaseCommand):
    help = "Undo a merge of two customer profiles: the merged profile gets its data back."

    def add_arguments(self, parser):
        parser.add_argument("merge_id", type=int, help="The id of the merge to undo.")

    def handle(self, *args, **options):
        merges = Merge.objects.select_related("survivor", "merged")
        journal = merges.filter(pk=options["merge_id"]).first()
        if journal is None:
            raise CommandError(f"There is no merge #{options['merge_id']}.")
        for profile in (journal.merged, journal.survivor):
            if profile.erased_at:
                raise CommandError(
                    f"Merge #{journal.pk} cannot be undone: profile #{profile.pk} was erased."
                )
        merged_id = journal.merged_id
        events_before = Event.objects.filter(profile_id=merged_id).count()
        try:
            undo(journal)
        except MergeError as error:
            raise CommandError(str(error)) from None
        events = Event.objects.filter(profile_id=merged_id).count() - events_before
        identifiers = Identifier.objects.filter(id__in=journal.identifier_ids, profile_id=merged_id)
        consents = Consent.objects.filter(id__in=journal.consent_ids, profile_id=merged_id)
        self.stdout.write(
            self.style.SUCCESS(
                f"Undid merge #{journal.pk}: profile #{merged_id} is apart from "
                f"#{journal.survivor_id} again, with {events} events and "
                f"{consents.count()} consents moved back."
            )
        )
        for identifier in identifiers.order_by("kind", "value"):
            self.stdout.write(f"  moved back: {identifier}")
