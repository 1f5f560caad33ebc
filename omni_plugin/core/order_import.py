"""Importing a shop's order history from a CSV file, so that profiles, segments and
recommendations start from it.

    from omni_plugin.core.order_import import import_orders

    summary = import_orders("orders.csv.gz", product_key="sku", customer_kind="loyalty")

Two forms of file are read, gzipped or not, told apart by their header:

- the "Online Retail" form: InvoiceNo, StockCode, Description, Quantity, InvoiceDate,
  UnitPrice, CustomerID, Country (Description is ignored; every customer is of the kind
  ``customer_kind``);
- the generic form: order, product, quantity, price, customer, occurred_at, and optionally
  customer_kind and country.

The whole file is checked before anything is written: a file with one bad line (an
unknown product, a malformed date, quantity or price, an invalid customer id) imports
nothing and ``ImportRefused`` lists every problem with its line number. Cancellations
(order numbers starting with "C"), lines without a customer and lines with no positive
quantity are skipped and counted. Each order becomes one ``order_placed`` event numbered
``SOURCE:ORDER``, written through ``ingest()``; an order whose number is already recorded
is left alone, so importing a file again changes nothing.
"""

import contextlib
import csv
import functools
import gc
import gzip
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from babel import Locale
from django.conf import settings
from django.db import transaction
from oscar.core.loading import get_model

from omni_plugin.conf import omni_settings

from . import profiles
from .catalogue import category_ids_of_many
from .events import NewEvent, ingest
from .identifiers import BLOCKED_VALUES, IdentifierRefused, normalise
from .models import Event, Identifier, Profile

Kind = Identifier.Kind
CUSTOMER_KINDS = (Kind.LOYALTY, Kind.POS, Kind.EMAIL, Kind.PHONE)
PRODUCT_KEYS = ("sku", "upc")
RETAIL_COLUMNS = {
    "order": "InvoiceNo",
    "product": "StockCode",
    "quantity": "Quantity",
    "price": "UnitPrice",
    "customer": "CustomerID",
    "country": "Country",
    "occurred_at": "InvoiceDate",
}
GENERIC_REQUIRED = ("order", "product", "quantity", "price", "customer", "occurred_at")
GENERIC_OPTIONAL = ("customer_kind", "country")
# Country names of the Online Retail data set that are not the English names of ISO codes.
COUNTRY_ALIASES = {
    "eire": "IE",
    "usa": "US",
    "rsa": "ZA",
    "czech republic": "CZ",
    "hong kong": "HK",
}
LOOKUP_BATCH = 1000
MAX_ORDER_NUMBER = 100  # Event.order_number holds 128 characters, with "SOURCE:"
MAX_SOURCE = 27


class ImportRefused(ValueError):
    """The file cannot be imported; ``errors`` holds ``(line number, message)`` pairs."""

    def __init__(self, path, errors):
        self.errors = errors
        shown = "; ".join(f"line {n}: {message}" for n, message in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"Nothing imported from {path}: {shown}{more}.")


@dataclass
class ImportSummary:
    """What an import did, or would do on a dry run."""

    lines_read: int = 0
    orders: int = 0
    lines: int = 0
    already_imported_orders: int = 0
    already_imported_lines: int = 0
    new_profiles: int = 0
    known_profiles: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason: number of lines
    dry_run: bool = False


@dataclass
class _Line:
    number: int
    product_id: int
    quantity: int
    unit_price: Decimal | None


@dataclass
class _Order:
    number: str
    customer: tuple  # (kind, normalised value)
    occurred_at: datetime
    country: str
    lines: list


SKIP_CANCELLED = "cancellations"
SKIP_NO_CUSTOMER = "without a customer"
SKIP_QUANTITY = "with no positive quantity"


def import_orders(
    path,
    *,
    product_key="sku",
    customer_kind=Kind.LOYALTY,
    channel=Event.Channel.WEB,
    source="import",
    currency=None,
    dry_run=False,
    progress=None,
):
    """Import the orders of the CSV file at ``path``; an ``ImportSummary``.

    ``product_key`` says how a line's product code finds an Oscar product: ``sku``, a
    stock record's partner SKU, or ``upc``. ``customer_kind`` is the identifier kind of
    the customers of the Online Retail form, and of the generic form's lines without a
    ``customer_kind``. ``progress(iterable, desc=...)`` wraps the lines as they are read
    (a tqdm bar, say). Raises ``ImportRefused`` for a bad file, having written nothing.
    """
    if product_key not in PRODUCT_KEYS:
        raise ValueError(
            f"The product key is one of {', '.join(PRODUCT_KEYS)}, not {product_key!r}."
        )
    if customer_kind not in CUSTOMER_KINDS:
        raise ValueError(
            f"The customer kind is one of {', '.join(CUSTOMER_KINDS)}, not {customer_kind!r}."
        )
    if not source or len(source) > MAX_SOURCE or ":" in source:
        raise ValueError(f"The source is 1 to {MAX_SOURCE} characters without a colon.")
    with _few_collections():
        return _import(
            path, product_key, customer_kind, channel, source, currency, dry_run, progress
        )


@contextlib.contextmanager
def _few_collections():
    """Let the garbage collector run less often meanwhile: the import holds a few objects
    per line of the file, which each full collection would scan again and again (a
    quarter of the import's time on a 40,000-line file)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], 50_000), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _import(path, product_key, customer_kind, channel, source, currency, dry_run, progress):
    summary = ImportSummary(dry_run=dry_run)
    errors = []
    raw_lines = _read(path, customer_kind, summary, errors, progress)
    products = _products(product_key, {line[1] for line in raw_lines})
    orders = _orders(raw_lines, products, product_key, errors)
    if errors:
        errors.sort()
        raise ImportRefused(path, errors)

    prefix = f"{source}:"
    with transaction.atomic():
        recorded = set(
            Event.objects.filter(kind="order_placed", order_number__startswith=prefix)
            .values_list("order_number", flat=True)
            .iterator(chunk_size=10000)
        )
        new = []
        for order in orders:
            if prefix + order.number in recorded:
                summary.already_imported_orders += 1
                summary.already_imported_lines += len(order.lines)
            else:
                new.append(order)
        summary.orders = len(new)
        summary.lines = sum(len(order.lines) for order in new)
        holders = _holders({order.customer for order in new})
        newcomers = {}  # customer: country of their latest order
        for order in sorted(new, key=lambda order: order.occurred_at):
            if order.customer not in holders:
                newcomers[order.customer] = order.country
        summary.new_profiles = len(newcomers)
        summary.known_profiles = len({order.customer for order in new} - set(newcomers))
        if dry_run or not new:
            return summary
        holders.update(_create_profiles(newcomers))
        categories = category_ids_of_many({line.product_id for o in new for line in o.lines})
        currency = currency or getattr(settings, "OSCAR_DEFAULT_CURRENCY", "GBP")
        events = {}
        for order in new:
            events.setdefault(holders[order.customer], []).append(
                _event(order, prefix, channel, currency, source, categories)
            )
        ingest(events)
    profiles.forget(*(holders[customer] for customer in holders if customer not in newcomers))
    return summary


def _read(path, customer_kind, summary, errors, progress):
    """``(line number, code, quantity, price, order, customer, country, occurred_at)`` of
    the lines to import; skipped lines are counted in ``summary``, bad ones in ``errors``."""
    try:
        with open_text(path) as text:
            reader = csv.reader(text)
            columns, retail, width = _columns(path, next(reader, []))
            rows = reader if progress is None else progress(reader, desc="Reading orders")
            lines = []
            customers, dates = {}, {}
            for row in rows:
                if not row:
                    continue
                number = reader.line_num
                summary.lines_read += 1
                if len(row) != width:
                    errors.append((number, "not as many fields as the header has columns"))
                    continue
                line = _parse(row, columns, retail, customer_kind, customers, dates, summary)
                if line.__class__ is str:
                    errors.append((number, line))
                elif line is not None:
                    lines.append((number, *line))
            return lines
    except FileNotFoundError:
        raise ImportRefused(path, [(0, "no such file")]) from None
    except (UnicodeDecodeError, csv.Error, gzip.BadGzipFile, EOFError) as error:
        raise ImportRefused(path, [(0, f"not a readable CSV file ({error})")]) from None


def _columns(path, header):
    """``({field: column index or None}, whether it is the Online Retail form, width)``."""
    header = [name.strip() for name in header]
    retail = "InvoiceNo" in header
    if retail:
        names = RETAIL_COLUMNS
        missing = [name for name in RETAIL_COLUMNS.values() if name not in header]
    else:
        names = {name: name for name in GENERIC_REQUIRED + GENERIC_OPTIONAL}
        missing = [name for name in GENERIC_REQUIRED if name not in header]
    if missing:
        raise ImportRefused(path, [(1, f"the column(s) {', '.join(missing)} are missing")])
    columns = {
        field: header.index(name) if name in header else None for field, name in names.items()
    }
    columns.setdefault("customer_kind", None)
    return columns, retail, len(header)


def _parse(row, columns, retail, default_kind, customers, dates, summary):
    """The line's fields, None for a skipped line, or a message saying what is wrong."""
    order = row[columns["order"]].strip()
    if not order:
        return "no order number"
    if len(order) > MAX_ORDER_NUMBER:
        return f"the order number is longer than {MAX_ORDER_NUMBER} characters"
    if retail and order[0] in "cC":
        summary.skipped[SKIP_CANCELLED] += 1
        return None
    quantity_text = row[columns["quantity"]]
    try:
        quantity = int(quantity_text)
    except ValueError:
        return f"the quantity {quantity_text!r} is not a whole number"
    if quantity <= 0:
        summary.skipped[SKIP_QUANTITY] += 1
        return None
    kind_column = columns["customer_kind"]
    kind = (row[kind_column].strip().lower() if kind_column is not None else "") or default_kind
    raw_customer = row[columns["customer"]]
    customer = customers.get((kind, raw_customer))
    if customer is None:
        customer = customers[(kind, raw_customer)] = _customer(kind, raw_customer)
    if customer is SKIP_NO_CUSTOMER:
        summary.skipped[SKIP_NO_CUSTOMER] += 1
        return None
    if customer.__class__ is str:
        return customer
    code = row[columns["product"]].strip()
    if not code:
        return "no product code"
    price_text = row[columns["price"]].strip()
    try:
        price = Decimal(price_text) if price_text else None
    except InvalidOperation:
        return f"the price {price_text!r} is not a number"
    if price is not None and (not price.is_finite() or price < 0):
        return f"the price {price_text!r} is not a positive number or zero"
    text = row[columns["occurred_at"]]
    occurred_at = dates.get(text)
    if occurred_at is None:
        try:
            moment = datetime.fromisoformat(text.strip())
        except ValueError:
            return f"the date {text!r} is not an ISO date and time"
        occurred_at = dates[text] = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    country_column = columns["country"]
    country = country_code(row[country_column]) if country_column is not None else ""
    return code, quantity, price, order, customer, country, occurred_at


def _customer(kind, value):
    """``(kind, normalised value)``, ``SKIP_NO_CUSTOMER`` or what is wrong with it."""
    value = value.strip()
    if value.endswith(".0") and value[:-2].isdigit():
        value = value[:-2]  # spreadsheets write ids as floats
    if kind not in CUSTOMER_KINDS:
        return f"the customer kind {kind!r} is not one of {', '.join(CUSTOMER_KINDS)}"
    blocked = BLOCKED_VALUES | {v.lower() for v in omni_settings.BLOCKED_IDENTIFIERS}
    if value.lower() in blocked:
        return SKIP_NO_CUSTOMER
    try:
        return kind, normalise(kind, value)
    except IdentifierRefused as refused:
        return f"customer: {refused}"


_COUNTRIES = {}


@functools.cache
def country_code(text):
    """The ISO code of a country given by its code or its English name; "" if unknown."""
    text = text.strip()
    if len(text) == 2 and text.isalpha():
        return text.upper()
    if not _COUNTRIES:
        territories = Locale("en").territories
        _COUNTRIES.update(
            {name.lower(): code for code, name in territories.items() if len(code) == 2}
        )
        _COUNTRIES.update(COUNTRY_ALIASES)
    return _COUNTRIES.get(text.lower(), "")


def _products(product_key, codes):
    """``{code: product id, or a set of ids when the code is ambiguous}``."""
    if product_key == "sku":
        model, lookup, values = get_model("partner", "StockRecord"), "partner_sku", "product_id"
    else:
        model, lookup, values = get_model("catalogue", "Product"), "upc", "pk"
    found = {}
    codes = sorted(codes)
    for start in range(0, len(codes), LOOKUP_BATCH):
        chunk = codes[start : start + LOOKUP_BATCH]
        for code, product_id in model.objects.filter(**{f"{lookup}__in": chunk}).values_list(
            lookup, values
        ):
            found.setdefault(code, set()).add(product_id)
    return {code: ids.pop() if len(ids) == 1 else ids for code, ids in found.items()}


def _orders(lines, products, product_key, errors):
    """The lines grouped in orders, in the file's order; bad lines go to ``errors``."""
    key = "partner SKU" if product_key == "sku" else "UPC"
    orders = {}
    for number, code, quantity, price, order_number, customer, country, occurred_at in lines:
        product_id = products.get(code)
        if product_id is None:
            errors.append((number, f"no product has the {key} {code!r}"))
            continue
        if isinstance(product_id, set):
            errors.append((number, f"{len(product_id)} products have the {key} {code!r}"))
            continue
        order = orders.get(order_number)
        if order is None:
            order = orders[order_number] = _Order(order_number, customer, occurred_at, country, [])
        elif order.customer != customer:
            errors.append((number, f"the order {order_number} has lines of more than one customer"))
            continue
        order.occurred_at = min(order.occurred_at, occurred_at)
        order.lines.append(_Line(number, product_id, quantity, price))
    return list(orders.values())


def _holders(customers):
    """``{(kind, value): profile id}`` of the customers already identified."""
    by_kind = {}
    for kind, value in customers:
        by_kind.setdefault(kind, []).append(value)
    holders = {}
    for kind, values in by_kind.items():
        for start in range(0, len(values), LOOKUP_BATCH):
            rows = Identifier.objects.filter(
                kind=kind, value__in=values[start : start + LOOKUP_BATCH]
            ).values_list("value", "profile_id")
            holders.update({(kind, value): profile_id for value, profile_id in rows})
    return holders


def _create_profiles(newcomers):
    customers = list(newcomers)
    created = Profile.objects.bulk_create(
        [
            Profile(snapshot={"geo": {"country": newcomers[c]}} if newcomers[c] else {})
            for c in customers
        ],
        batch_size=LOOKUP_BATCH,
    )
    Identifier.objects.bulk_create(
        [
            Identifier(profile_id=profile.pk, kind=kind, value=value)
            for (kind, value), profile in zip(customers, created, strict=True)
        ],
        batch_size=LOOKUP_BATCH,
    )
    return {customer: profile.pk for customer, profile in zip(customers, created, strict=True)}


def _event(order, prefix, channel, currency, source, categories):
    lines = []
    total = Decimal("0.00")
    for line in order.lines:
        price = None if line.unit_price is None else line.unit_price * line.quantity
        total += price or 0
        lines.append(
            {
                "product_id": line.product_id,
                "quantity": line.quantity,
                "price": price,
                "category_ids": categories.get(line.product_id, []),
            }
        )
    data = {"lines": lines, "currency": currency, "source": source}
    if order.country:
        data["country"] = order.country
    return NewEvent(
        kind="order_placed",
        occurred_at=order.occurred_at,
        channel=channel,
        order_number=prefix + order.number,
        value=total.quantize(Decimal("0.01")),
        data=data,
    )


def open_text(path):
    """The text of a CSV file, gzipped or not."""
    with open(path, "rb") as file:
        zipped = file.read(2) == b"\x1f\x8b"
    if zipped:
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")
