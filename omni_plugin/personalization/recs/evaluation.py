"""Offline evaluation of the recommendation strategies on a temporal split of past orders.

The orders come from a CSV with the columns of the UCI "Online Retail" data set
(InvoiceNo, StockCode, Quantity, InvoiceDate, CustomerID, Country; others are ignored).
The model is built on the orders before the cutoff; each customer who ordered both
before and after it gets each strategy's ten recommendations, compared with the products
they bought after it.
"""

import csv
import gzip
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from .model import KIND_WEIGHTS, Interactions, build_model
from .scoring import buy_again, from_neighbours, history_seeds, most_popular

COLUMNS = ("InvoiceNo", "StockCode", "Quantity", "InvoiceDate", "CustomerID", "Country")
K = 10
REPEAT_RATE = 0.2  # OMNI_RECS_REPEAT_RATE's default
STRATEGIES = (
    "popularity",
    "trending",
    "for_you",
    "for_you, new products only",
    "bought_together",
    "bought_together, new products only",
    "buy_again",
)


class DatasetError(ValueError):
    """The orders file cannot be read or evaluated."""


@dataclass
class Orders:
    """Order lines as parallel arrays; ``products`` index into ``codes`` (the StockCodes)."""

    customers: np.ndarray
    products: np.ndarray
    invoices: np.ndarray
    times: np.ndarray
    countries: np.ndarray
    codes: list[str]

    def __len__(self):
        return len(self.customers)

    def subset(self, mask):
        return Orders(
            self.customers[mask],
            self.products[mask],
            self.invoices[mask],
            self.times[mask],
            self.countries[mask],
            self.codes,
        )


@dataclass
class StrategyResult:
    name: str
    recall: float
    ndcg: float
    coverage: float


@dataclass
class Evaluation:
    strategies: list[StrategyResult]
    cutoff: datetime
    train_lines: int
    test_lines: int
    train_products: int
    test_customers: int
    test_products: int
    similarity: str
    neighbours: int
    half_life_days: float
    trending_days: float
    repeat_rate: float


def read_orders(path) -> Orders:
    """Order lines of ``path`` (CSV, gzipped or not), without cancellations ("C" invoices),
    lines with no positive quantity and lines with no customer."""
    try:
        with _open_text(path) as lines:
            rows = _order_rows(path, csv.DictReader(lines))
    except (UnicodeDecodeError, csv.Error, gzip.BadGzipFile, EOFError) as error:
        raise DatasetError(f"{path} is not a readable CSV file ({error}).") from None
    customers, codes, invoices, times, countries = zip(*rows, strict=True) if rows else [()] * 5
    codes, products = np.unique(np.array(codes, dtype=str), return_inverse=True)
    _, invoices = np.unique(np.array(invoices, dtype=str), return_inverse=True)
    return Orders(
        np.array(customers, dtype=np.int64),
        products.astype(np.int64),
        invoices.astype(np.int64),
        np.array(times, dtype=np.float64),
        np.array(countries, dtype=object),
        codes.tolist(),
    )


def _order_rows(path, reader):
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or ())]
    if missing:
        raise DatasetError(f"{path} is missing the column(s) {', '.join(missing)}.")
    rows = []
    for number, row in enumerate(reader, start=2):
        try:
            if row["InvoiceNo"].startswith("C") or not row["CustomerID"].strip():
                continue
            if float(row["Quantity"]) <= 0:
                continue
            rows.append(
                (
                    int(float(row["CustomerID"])),
                    row["StockCode"].strip(),
                    row["InvoiceNo"].strip(),
                    _timestamp(row["InvoiceDate"]),
                    row["Country"].strip(),
                )
            )
        except (AttributeError, TypeError, ValueError) as error:
            # A short line leaves None in its last columns: AttributeError on strip().
            raise DatasetError(f"{path}, line {number}: {error}.") from None
    return rows


def _timestamp(text):
    """Unix seconds of an ISO date and time, UTC unless it says otherwise."""
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=moment.tzinfo or UTC).timestamp()


def _open_text(path):
    with open(path, "rb") as file:
        zipped = file.read(2) == b"\x1f\x8b"
    if zipped:
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def split_time(orders, *, test_share=0.2, cutoff=None) -> float:
    """The cutoff (unix seconds): ``cutoff`` if given, else the start of the last
    ``test_share`` of the orders' time span."""
    if cutoff is not None:
        return cutoff.replace(tzinfo=cutoff.tzinfo or UTC).timestamp()
    if not 0 < test_share < 1:
        raise DatasetError(f"The test share must be between 0 and 1, not {test_share}.")
    first, last = orders.times.min(), orders.times.max()
    return float(last - test_share * (last - first))


def evaluate(
    orders,
    *,
    test_share=0.2,
    cutoff=None,
    similarity="cosine",
    neighbours=50,
    half_life_days=90,
    trending_days=7,
    repeat_rate=REPEAT_RATE,
) -> Evaluation:
    """Build the model on the orders before the cutoff and score every strategy.

    ``repeat_rate`` is the repeat rate from which buy-again offers a product again.
    """
    if not len(orders):
        raise DatasetError("There is no order line to evaluate on.")
    split = split_time(orders, test_share=test_share, cutoff=cutoff)
    train, test = orders.subset(orders.times < split), orders.subset(orders.times >= split)
    if not len(train) or not len(test):
        raise DatasetError("The cutoff leaves no order line on one side of the split.")
    model = build_model(
        Interactions(
            users=train.customers,
            items=train.products,
            weights=np.full(len(train), KIND_WEIGHTS["order_placed"], dtype=np.float32),
            times=train.times,
            baskets=train.invoices,
            places=train.countries,
        ),
        similarity=similarity,
        half_life_days=half_life_days,
        neighbours=neighbours,
        trending_days=trending_days,
        now=split,
    )
    histories = _histories(train)
    truths = defaultdict(set)
    for customer, product in zip(test.customers.tolist(), test.products.tolist(), strict=True):
        if customer in histories:
            truths[customer].add(product)
    if not truths:
        raise DatasetError("No customer ordered both before and after the cutoff.")

    recommenders = _recommenders(
        model, now=split, half_life_days=half_life_days, repeat_rate=repeat_rate
    )
    results = []
    for name in STRATEGIES:
        recall = ndcg = 0.0
        recommended = set()
        for customer, truth in truths.items():
            products = recommenders[name](histories[customer])[:K]
            recommended.update(products)
            recall += recall_at(products, truth)
            ndcg += ndcg_at(products, truth)
        results.append(
            StrategyResult(
                name,
                recall / len(truths),
                ndcg / len(truths),
                len(recommended) / model.stats["products"],
            )
        )
    return Evaluation(
        strategies=results,
        cutoff=datetime.fromtimestamp(split, UTC),
        train_lines=len(train),
        test_lines=len(test),
        train_products=model.stats["products"],
        test_customers=len(truths),
        test_products=len(set().union(*truths.values())),
        similarity=similarity,
        neighbours=neighbours,
        half_life_days=half_life_days,
        trending_days=trending_days,
        repeat_rate=repeat_rate,
    )


def _histories(train):
    """Customer -> their (product, time, invoice, country) order lines, oldest first."""
    histories = defaultdict(list)
    order = np.lexsort((train.invoices, train.times))
    for customer, product, when, invoice, country in zip(
        train.customers[order].tolist(),
        train.products[order].tolist(),
        train.times[order].tolist(),
        train.invoices[order].tolist(),
        train.countries[order].tolist(),
        strict=True,
    ):
        histories[customer].append((product, when, invoice, country))
    return dict(histories)


def _recommenders(model, *, now, half_life_days, repeat_rate):
    """Each strategy as a function of a customer's order lines before the cutoff -> product
    ids, best first."""
    weight = KIND_WEIGHTS["order_placed"]
    popular = [scored.product_id for scored in most_popular(model.popularity, limit=K)]
    overall_trending = model.trending.get("", [])

    def trending(history):
        country = history[-1][3]
        local = model.trending.get(country, [])[:K]
        return local + [p for p in overall_trending if p not in local][: K - len(local)]

    def seeds_of(history):
        events = ((product, weight, when) for product, when, _, _ in history)
        return history_seeds(events, now=now, half_life_days=half_life_days)

    def recommend(history, neighbours, repeats):
        seeds = seeds_of(history)
        again = None
        if repeats:  # as the shop's filters allow: bought products that are bought again
            rates = {product: model.repeat_rate.get(product, 0.0) for product in seeds}
            again = {product: rate for product, rate in rates.items() if rate >= repeat_rate}
        scored = from_neighbours(seeds, neighbours, again=again, limit=K)
        return [entry.product_id for entry in scored]

    def again(history):
        invoices, last = defaultdict(set), {}
        for product, when, invoice, _ in history:
            invoices[product].add(invoice)
            last[product] = when
        purchased = {product: (len(invoices[product]), last[product]) for product in invoices}
        scored = buy_again(purchased, model.repeat_rate, threshold=repeat_rate, limit=K)
        return [entry.product_id for entry in scored]

    return {
        "popularity": lambda history: popular,
        "trending": trending,
        "for_you": lambda history: recommend(history, model.related, repeats=True),
        "for_you, new products only": lambda history: recommend(
            history, model.related, repeats=False
        ),
        # What the customer's orders are bought together with: the basket is their orders.
        "bought_together": lambda history: recommend(history, model.bought_with, repeats=True),
        "bought_together, new products only": lambda history: recommend(
            history, model.bought_with, repeats=False
        ),
        "buy_again": again,
    }


def recall_at(recommended, truth):
    """The share of the products bought that were recommended."""
    return len(set(recommended) & truth) / len(truth)


def ndcg_at(recommended, truth):
    """Normalised discounted cumulative gain with binary relevance."""
    gain = sum(1 / math.log2(rank + 2) for rank, p in enumerate(recommended) if p in truth)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(truth), K)))
    return gain / ideal if ideal else 0.0


def format_table(evaluation) -> str:
    """The evaluation as a Markdown table, with the split and the model's settings above."""
    header = (
        f"Cutoff {evaluation.cutoff:%Y-%m-%d %H:%M} UTC: {evaluation.train_lines:,} order lines "
        f"before ({evaluation.train_products:,} products), {evaluation.test_lines:,} after.\n"
        f"{evaluation.test_customers:,} test customers (ordered before and after), "
        f"{evaluation.test_products:,} products bought after.\n"
        f"Model: {evaluation.similarity} similarity, {evaluation.neighbours} neighbours, "
        f"half-life {evaluation.half_life_days:g} days; trending over "
        f"{evaluation.trending_days:g} days; buy again from a repeat rate of "
        f"{evaluation.repeat_rate:g}.\n\n"
    )
    rows = [("strategy", f"Recall@{K}", f"NDCG@{K}", "coverage")]
    rows += [
        (s.name, f"{s.recall:.4f}", f"{s.ndcg:.4f}", f"{s.coverage:.1%}")
        for s in evaluation.strategies
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "| "
        + " | ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        + " |"
        for row in rows
    ]
    lines.insert(
        1, "|" + "|".join("-" * (w + 1) + (":" if i else "-") for i, w in enumerate(widths)) + "|"
    )
    return header + "\n".join(lines) + "\n"
