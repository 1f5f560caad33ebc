from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ...models import Event
from ...order_import import CUSTOMER_KINDS, PRODUCT_KEYS, ImportRefused, import_orders

MAX_REPORTED = 100


class Command(BaseCommand):
    help = (
        "Import order history from a CSV file (the Online Retail columns or the generic "
        "form, gzipped or not) as order_placed events of customer profiles. A file with a "
        "bad line imports nothing; importing a file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--product-key",
            choices=PRODUCT_KEYS,
            default="sku",
            help="Match product codes to a stock record's partner SKU (default) or a UPC.",
        )
        parser.add_argument(
            "--customer-kind",
            choices=CUSTOMER_KINDS,
            default="loyalty",
            help="The identifier kind of the customer ids (when no customer_kind column says).",
        )
        parser.add_argument("--channel", choices=Event.Channel.values, default=Event.Channel.WEB)
        parser.add_argument(
            "--source",
            default="import",
            help='Imported orders are numbered "SOURCE:ORDER" (default: import).',
        )
        parser.add_argument("--currency", help="Default: OSCAR_DEFAULT_CURRENCY.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and say what would be imported, writing nothing.",
        )

    def handle(self, *args, **options):
        # tqdm redraws its bar with carriage returns: stderr must add no newline nor colour.
        ending, style = self.stderr.ending, self.stderr.style_func
        self.stderr.ending, self.stderr.style_func = "", None
        try:
            summary = import_orders(
                options["file"],
                product_key=options["product_key"],
                customer_kind=options["customer_kind"],
                channel=options["channel"],
                source=options["source"],
                currency=options["currency"],
                dry_run=options["dry_run"],
                progress=self.progress if options["verbosity"] else None,
            )
        except ImportRefused as refused:
            self.stderr.ending, self.stderr.style_func = ending, style
            for number, message in refused.errors[:MAX_REPORTED]:
                self.stderr.write(f"{options['file']}, line {number}: {message}")
            if len(refused.errors) > MAX_REPORTED:
                self.stderr.write(f"... and {len(refused.errors) - MAX_REPORTED} more problems.")
            raise CommandError(
                f"Nothing imported: {len(refused.errors)} problem(s) in {options['file']}."
            ) from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        finally:
            self.stderr.ending, self.stderr.style_func = ending, style
        self.report(summary)

    def report(self, summary):
        verb = "Would import" if summary.dry_run else "Imported"
        self.stdout.write(
            f"{verb} {summary.orders} orders ({summary.lines} lines) of {summary.lines_read} "
            f"lines read: {summary.new_profiles} new profiles, {summary.known_profiles} known."
        )
        if summary.already_imported_orders:
            self.stdout.write(
                f"Already imported, left alone: {summary.already_imported_orders} orders "
                f"({summary.already_imported_lines} lines)."
            )
        skipped = ", ".join(f"{n} {reason}" for reason, n in sorted(summary.skipped.items()))
        if skipped:
            self.stdout.write(f"Skipped lines: {skipped}.")
        if summary.dry_run:
            self.stdout.write("Dry run: nothing was written.")

    def progress(self, iterable, total=None, desc=None):
        return tqdm(iterable, total=total, desc=desc, unit=" lines", file=self.stderr, leave=True)
