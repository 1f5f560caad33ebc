from argparse import ArgumentTypeError
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from omni_plugin.conf import omni_settings

from ...recs.evaluation import DatasetError, evaluate, format_table, read_orders
from ...recs.model import SIMILARITIES


class Command(BaseCommand):
    help = (
        "Evaluate the recommendation strategies offline on a CSV of past orders (the columns "
        "of the UCI Online Retail data set): choose the model's settings on a validation "
        "period, build it on the orders before a cutoff, and print Recall@10, NDCG@10, "
        "HitRate@10 and coverage of each strategy and baseline on the orders after it, for "
        "new products only and with repeats allowed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The orders CSV, gzipped or not.")
        split = parser.add_mutually_exclusive_group()
        split.add_argument(
            "--test-share",
            type=float,
            default=0.2,
            help="The last share of the time span used as the test period (default: 0.2).",
        )
        split.add_argument(
            "--cutoff",
            type=_date,
            help="The start of the test period instead, as an ISO date (2011-10-01).",
        )
        parser.add_argument(
            "--validation-share",
            type=float,
            default=0.2,
            help="The last share of the training period on which the model's settings are "
            "chosen (default: 0.2).",
        )
        parser.add_argument("--similarity", choices=SIMILARITIES, default="ease")
        parser.add_argument(
            "--ease-l2",
            type=float,
            help="The ease model's L2 regularisation (default: chosen on the validation period).",
        )
        parser.add_argument(
            "--repeat-weight",
            type=float,
            help="For-you's weight of repeat purchases (default: chosen on the validation period).",
        )
        parser.add_argument(
            "--no-baselines",
            action="store_true",
            help="Leave out the baselines (popularity, item-kNN, buy again, ALS).",
        )
        parser.add_argument("--neighbours", type=int, default=50)
        parser.add_argument("--half-life-days", type=float, default=90)
        parser.add_argument(
            "--trending-days",
            type=float,
            default=7,
            help="The window of the trending products before the cutoff (default: 7).",
        )
        parser.add_argument(
            "--repeat-rate",
            type=float,
            default=None,
            help="The repeat rate from which a product bought before is offered again "
            "(default: OMNI_RECS_REPEAT_RATE).",
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No orders file at {path}.")
        try:
            evaluation = evaluate(
                read_orders(path),
                test_share=options["test_share"],
                cutoff=options["cutoff"],
                validation_share=options["validation_share"],
                ease_l2=options["ease_l2"],
                repeat_weight=options["repeat_weight"],
                baselines=not options["no_baselines"],
                similarity=options["similarity"],
                neighbours=options["neighbours"],
                half_life_days=options["half_life_days"],
                trending_days=options["trending_days"],
                repeat_rate=(
                    omni_settings.RECS_REPEAT_RATE
                    if options["repeat_rate"] is None
                    else options["repeat_rate"]
                ),
            )
        except (DatasetError, ValueError, OSError) as error:
            raise CommandError(f"Cannot evaluate on {path}: {error}") from error
        self.stdout.write(format_table(evaluation))


def _date(value):
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not an ISO date such as 2011-10-01.") from None
