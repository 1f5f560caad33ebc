from argparse import ArgumentTypeError
from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ...recs.build import build_and_store, build_recommendations


class Command(BaseCommand):
    help = (
        "Build the recommendation model from every view, basket addition and order, and "
        "serve it once it is complete. Run it from cron, e.g. every night."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the build to the task backend (a Celery worker at scale) and return.",
        )
        parser.add_argument(
            "--as-of",
            type=_moment,
            help="Build the model as of this ISO date or time (UTC unless it says otherwise) "
            "from the events before it only, e.g. to compare it with what happened after.",
        )

    def handle(self, *args, **options):
        as_of = options.get("as_of")
        if options["enqueue"]:
            if as_of is not None:
                raise CommandError("--as-of builds in this process: leave out --enqueue.")
            result = build_recommendations.enqueue()
            self.stdout.write(f"Recommendation model build enqueued as task {result.id}.")
            return
        # tqdm redraws its bar with carriage returns: stderr must add no newline nor colour.
        self.stderr.ending = ""
        self.stderr.style_func = None
        build = build_and_store(
            progress=self.progress if options["verbosity"] else None, as_of=as_of
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Recommendation model #{build.pk} is ready: {build.products} products, "
                f"{build.customers} customers, {build.interactions} interactions, "
                f"{build.similarity} similarity, {build.duration:.1f}s."
            )
        )

    def progress(self, iterable, total=None, desc=None):
        return tqdm(iterable, total=total, desc=desc, file=self.stderr, leave=True)


def _moment(value):
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not an ISO date such as 2011-10-01.") from None
    return moment.replace(tzinfo=moment.tzinfo or UTC)
