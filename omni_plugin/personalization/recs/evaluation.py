"""Offline evaluation of the recommendation strategies on a temporal split of past orders.

The orders come from a CSV with the columns of the UCI "Online Retail" data set
(InvoiceNo, StockCode, Quantity, InvoiceDate, CustomerID, Country; others are ignored).
The model is built on the orders before the cutoff; each customer who ordered both
before and after it gets each strategy's ten recommendations, compared with the products
they bought after it, in two variants: new products only (what they had never bought,
nobody being offered what they bought) and repeats allowed (everything they bought).
The model's hyper-parameters are chosen on a validation period, the last share of the
training period, with the test period unseen; baselines are computed in the same run.
"""

import csv
import gzip
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from scipy import sparse

from omni_plugin.core.order_import import open_text

from .model import EASE_L2, KIND_WEIGHTS, Interactions, build_model
from .scoring import (
    buy_again,
    from_neighbours,
    history_seeds,
    most_popular,
    repeat_scores,
    strongest_seeds,
)

COLUMNS = ("InvoiceNo", "StockCode", "Quantity", "InvoiceDate", "CustomerID", "Country")
K = 10
REPEAT_RATE = 0.0  # OMNI_RECS_REPEAT_RATE's default
REPEAT_WEIGHT = 1.0  # OMNI_RECS_REPEAT_WEIGHT's default
MAX_SEEDS = 20  # as strategies.MAX_SEEDS
#: The candidate values tried on the validation period.
EASE_L2_GRID = (50.0, 100.0, 200.0, 400.0, 800.0)
REPEAT_WEIGHT_GRID = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)
STRATEGIES = ("popularity", "trending", "for_you", "bought_together", "buy_again")
BASELINES = (
    "baseline: popularity (distinct buyers)",
    "baseline: item-kNN (cosine, shrinkage 20)",
    "baseline: buy again, then popular",
    "baseline: ALS (implicit)",
)
VARIANTS = ("new", "repeats")
VARIANT_TITLES = {"new": "New products only", "repeats": "Repeats allowed"}
#: The ALS baseline's settings (implicit's AlternatingLeastSquares), not tuned.
ALS_FACTORS, ALS_REGULARIZATION, ALS_ALPHA, ALS_ITERATIONS = 64, 0.1, 10.0, 15


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
class Result:
    name: str
    variant: str
    recall: float
    ndcg: float
    hit_rate: float
    coverage: float
    customers: int


@dataclass
class Evaluation:
    results: list[Result]
    cutoff: datetime
    validation_cutoff: datetime
    train_lines: int
    test_lines: int
    train_products: int
    similarity: str
    neighbours: int
    half_life_days: float
    trending_days: float
    repeat_rate: float
    ease_l2: float
    repeat_weight: float
    tuned: bool


@dataclass
class Period:
    """A training period's model and histories, and the test period's truths."""

    model: object
    now: float
    histories: dict
    truths: dict  # variant -> customer -> products bought in the test period
    train: Orders


def read_orders(path) -> Orders:
    """Order lines of ``path`` (CSV, gzipped or not), without cancellations ("C" invoices),
    lines with no positive quantity and lines with no customer."""
    try:
        with open_text(path) as lines:
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
    validation_share=0.2,
    similarity="ease",
    neighbours=50,
    half_life_days=90,
    trending_days=7,
    repeat_rate=REPEAT_RATE,
    ease_l2=None,
    repeat_weight=None,
    baselines=True,
) -> Evaluation:
    """Build the model on the orders before the cutoff and score every strategy and baseline.

    ``ease_l2`` (for ``similarity="ease"``) and ``repeat_weight`` left to None are chosen
    on the validation period:
    the last ``validation_share`` of the training period, the model built on what comes
    before it. ``ease_l2`` by for-you's new-product Recall@10, then ``repeat_weight`` by
    its Recall@10 with repeats. ``repeat_rate`` is the repeat rate from which a bought
    product may be offered again (as the shop's filters allow).
    """
    if not len(orders):
        raise DatasetError("There is no order line to evaluate on.")
    split = split_time(orders, test_share=test_share, cutoff=cutoff)
    train, test = orders.subset(orders.times < split), orders.subset(orders.times >= split)
    if not len(train) or not len(test):
        raise DatasetError("The cutoff leaves no order line on one side of the split.")
    settings = {
        "similarity": similarity,
        "neighbours": neighbours,
        "half_life_days": half_life_days,
        "trending_days": trending_days,
    }
    validation_split = split_time(train, test_share=validation_share)
    if similarity != "ease" and ease_l2 is None:
        ease_l2 = EASE_L2
    tuned = ease_l2 is None or repeat_weight is None
    if tuned:
        ease_l2, repeat_weight = tune(
            train, validation_split, settings, repeat_rate, ease_l2, repeat_weight
        )
    period = _period(train, test, split, settings, ease_l2)
    recommenders = _recommenders(period, settings, repeat_rate, repeat_weight)
    if baselines:
        recommenders.update(_baselines(period))
    results = [
        _score(name, variant, recommend, period)
        for variant in VARIANTS
        for name, recommend in recommenders.items()
    ]
    return Evaluation(
        results=results,
        cutoff=datetime.fromtimestamp(split, UTC),
        validation_cutoff=datetime.fromtimestamp(validation_split, UTC),
        train_lines=len(train),
        test_lines=len(test),
        train_products=period.model.stats["products"],
        repeat_rate=repeat_rate,
        ease_l2=ease_l2,
        repeat_weight=repeat_weight,
        tuned=tuned,
        **settings,
    )


def tune(train, validation_split, settings, repeat_rate, ease_l2=None, repeat_weight=None):
    """(ease_l2, repeat_weight) chosen on the validation period of ``train``: the model
    is built on the orders before ``validation_split`` and scored on those after it.
    The values given are kept; equal scores go to the first candidate of the grid."""
    fit = train.subset(train.times < validation_split)
    check = train.subset(train.times >= validation_split)
    if not len(fit) or not len(check):
        raise DatasetError("The validation cutoff leaves no order line on one side.")
    if ease_l2 is None:
        scores = []
        # The repeat term plays no part with new products only: any weight would do.
        for l2 in EASE_L2_GRID:
            period = _period(fit, check, validation_split, settings, l2)
            for_you = _recommenders(period, settings, repeat_rate, REPEAT_WEIGHT)["for_you"]
            scores.append(_score("for_you", "new", for_you, period).recall)
        ease_l2 = EASE_L2_GRID[int(np.argmax(scores))]
    if repeat_weight is None:
        period = _period(fit, check, validation_split, settings, ease_l2)
        scores = []
        for weight in REPEAT_WEIGHT_GRID:
            for_you = _recommenders(period, settings, repeat_rate, weight)["for_you"]
            scores.append(_score("for_you", "repeats", for_you, period).recall)
        repeat_weight = REPEAT_WEIGHT_GRID[int(np.argmax(scores))]
    return ease_l2, repeat_weight


def _period(train, test, split, settings, ease_l2):
    model = build_model(
        Interactions(
            users=train.customers,
            items=train.products,
            weights=np.full(len(train), KIND_WEIGHTS["order_placed"], dtype=np.float32),
            times=train.times,
            baskets=train.invoices,
            places=train.countries,
        ),
        now=split,
        ease_l2=ease_l2,
        **settings,
    )
    histories = _histories(train)
    truths = {"new": defaultdict(set), "repeats": defaultdict(set)}
    for customer, product in zip(test.customers.tolist(), test.products.tolist(), strict=True):
        if customer in histories:
            truths["repeats"][customer].add(product)
            if product not in histories[customer]["bought"]:
                truths["new"][customer].add(product)
    if not truths["repeats"]:
        raise DatasetError("No customer ordered both before and after the cutoff.")
    return Period(model, split, histories, truths, train)


def _score(name, variant, recommend, period):
    truths = period.truths[variant]
    recall = ndcg = hits = 0.0
    recommended = set()
    for customer, truth in truths.items():
        products = recommend(period.histories[customer], variant == "new")[:K]
        recommended.update(products)
        recall += recall_at(products, truth)
        ndcg += ndcg_at(products, truth)
        hits += bool(truth.intersection(products))
    count = max(len(truths), 1)
    return Result(
        name,
        variant,
        recall / count,
        ndcg / count,
        hits / count,
        len(recommended) / max(period.model.stats["products"], 1),
        len(truths),
    )


def _histories(train):
    """Customer -> their order lines before the cutoff: ``lines`` (product, time, invoice,
    country) oldest first, ``bought`` the set of products, ``country`` the latest one."""
    histories = {}
    order = np.lexsort((train.invoices, train.times))
    for customer, product, when, invoice, country in zip(
        train.customers[order].tolist(),
        train.products[order].tolist(),
        train.times[order].tolist(),
        train.invoices[order].tolist(),
        train.countries[order].tolist(),
        strict=True,
    ):
        history = histories.setdefault(
            customer, {"customer": customer, "lines": [], "bought": set(), "invoices": {}}
        )
        history["lines"].append((product, when, invoice, country))
        history["bought"].add(product)
        history["invoices"].setdefault(product, set()).add(invoice)
        history["country"] = country
    for history in histories.values():
        history["times"] = {p: len(invoices) for p, invoices in history.pop("invoices").items()}
    return histories


def _fill(ranked, *fallbacks, exclude=frozenset()):
    """``ranked`` then each fallback list in turn, without repeats nor ``exclude``, K long."""
    chosen = []
    for products in (ranked, *fallbacks):
        for product in products:
            if len(chosen) == K:
                return chosen
            if product not in exclude and product not in chosen:
                chosen.append(product)
    return chosen


def _recommenders(period, settings, repeat_rate, repeat_weight):
    """Each strategy as served by ``recommend()`` (its steps in turn, the shop's filters):
    a function of a customer's history and whether only new products may be offered ->
    product ids, best first."""
    model, now = period.model, period.now
    weight = KIND_WEIGHTS["order_placed"]
    popular = [entry.product_id for entry in most_popular(model.popularity, limit=3 * K)]
    overall_trending = model.trending.get("", [])

    def excluded(history, new_only):
        """What filters.excluded leaves out: what was bought and is seldom bought again."""
        if new_only:
            return history["bought"]
        return {p for p in history["bought"] if model.repeat_rate.get(p, 0.0) < repeat_rate}

    def trending_in_country(history):
        return model.trending.get(history.get("country", ""), [])

    def seeds_of(history):
        events = ((product, weight, when) for product, when, _, _ in history["lines"])
        seeds = history_seeds(
            events, now=now, half_life_days=settings["half_life_days"], strongest=True
        )
        return strongest_seeds(seeds, MAX_SEEDS)

    def from_model(history, new_only, neighbours):
        seeds = seeds_of(history)
        again = None
        if not new_only:
            again = repeat_scores(
                history["times"], model.repeat_rate, threshold=repeat_rate, weight=repeat_weight
            )
        exclude = excluded(history, new_only)
        scored = from_neighbours(seeds, neighbours, again=again, exclude=exclude, limit=3 * K)
        return [entry.product_id for entry in scored], exclude

    def for_you(history, new_only):
        found, exclude = from_model(history, new_only, model.related)
        return _fill(found, trending_in_country(history), popular, exclude=exclude)

    def bought_together(history, new_only):
        found, exclude = from_model(history, new_only, model.bought_with)
        return _fill(found, popular, exclude=exclude)

    def trending(history, new_only):
        exclude = excluded(history, new_only)
        return _fill(trending_in_country(history), overall_trending, popular, exclude=exclude)

    def again(history, new_only):
        if new_only:
            return []
        invoices, last = defaultdict(set), {}
        for product, when, invoice, _ in history["lines"]:
            invoices[product].add(invoice)
            last[product] = when
        purchased = {product: (len(invoices[product]), last[product]) for product in invoices}
        scored = buy_again(purchased, model.repeat_rate, threshold=repeat_rate, limit=K)
        return [entry.product_id for entry in scored]

    return {
        "popularity": lambda history, new_only: _fill(popular, exclude=excluded(history, new_only)),
        "trending": trending,
        "for_you": for_you,
        "bought_together": bought_together,
        "buy_again": again,
    }


def _baselines(period):
    """The reference methods, on the same training orders (each line a purchase)."""
    train = period.train
    customer_ids, rows = np.unique(train.customers, return_inverse=True)
    product_count = len(train.codes)
    bought = sparse.csr_matrix(
        (np.ones(len(train)), (rows, train.products)), shape=(len(customer_ids), product_count)
    )
    bought.sum_duplicates()
    bought.data[:] = 1.0
    row_of = {customer: row for row, customer in enumerate(customer_ids.tolist())}
    buyers = np.asarray(bought.sum(axis=0)).ravel()
    by_buyers = np.lexsort((np.arange(product_count), -buyers))
    by_buyers = by_buyers[buyers[by_buyers] > 0].tolist()

    def top(scores, history, new_only):
        scores = scores.astype(np.float64)
        ranked = np.lexsort((np.arange(product_count), -buyers, -scores))
        ranked = ranked[scores[ranked] > 0][: 3 * K].tolist()
        return _fill(ranked, by_buyers, exclude=history["bought"] if new_only else ())

    # Cosine with shrinkage on the binary matrix: the textbook item-kNN.
    counts = (bought.T @ bought).toarray()
    np.fill_diagonal(counts, 0.0)
    norms = np.sqrt(np.maximum(buyers, 1.0))
    knn = counts / np.outer(norms, norms) * counts / (counts + 20.0)

    def item_knn(history, new_only):
        row = bought[row_of[_customer(history)]]
        return top(np.asarray(row @ knn).ravel(), history, new_only)

    def again_then_popular(history, new_only):
        if new_only:
            return _fill(by_buyers, exclude=history["bought"])
        invoices, last = defaultdict(set), {}
        for product, when, invoice, _ in history["lines"]:
            invoices[product].add(invoice)
            last[product] = when
        again = sorted(invoices, key=lambda p: (-len(invoices[p]), -last[p], p))
        return _fill(again, by_buyers)

    baselines = {
        BASELINES[0]: lambda history, new_only: _fill(
            by_buyers, exclude=history["bought"] if new_only else ()
        ),
        BASELINES[1]: item_knn,
        BASELINES[2]: again_then_popular,
    }
    als = _als(bought)
    if als is not None:
        users, items = als

        def alternating_least_squares(history, new_only):
            return top(items @ users[row_of[_customer(history)]] + 1e3, history, new_only)

        baselines[BASELINES[3]] = alternating_least_squares
    return baselines


def _customer(history):
    return history["customer"]


def _als(bought):
    """(user factors, item factors) of implicit's ALS, or None without ``implicit``."""
    try:
        from implicit.als import AlternatingLeastSquares
        from threadpoolctl import threadpool_limits
    except ImportError:
        return None
    als = AlternatingLeastSquares(
        factors=ALS_FACTORS,
        regularization=ALS_REGULARIZATION,
        alpha=ALS_ALPHA,
        iterations=ALS_ITERATIONS,
        random_state=0,
    )
    # implicit parallelises itself and asks for a single-threaded BLAS underneath.
    with threadpool_limits(1, "blas"):
        als.fit(bought.tocsr().astype(np.float32), show_progress=False)
    users, items = als.user_factors, als.item_factors
    if not isinstance(users, np.ndarray):  # the GPU build returns its own arrays
        users, items = users.to_numpy(), items.to_numpy()
    return users, items


def recall_at(recommended, truth):
    """The share of the products bought that were recommended."""
    return len(set(recommended) & truth) / len(truth)


def ndcg_at(recommended, truth):
    """Normalised discounted cumulative gain with binary relevance."""
    gain = sum(1 / math.log2(rank + 2) for rank, p in enumerate(recommended) if p in truth)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(truth), K)))
    return gain / ideal if ideal else 0.0


def format_table(evaluation) -> str:
    """The evaluation as Markdown tables, one per variant, the split and settings above."""
    e = evaluation
    chosen = "chosen on the validation period" if e.tuned else "given"
    header = (
        f"Cutoff {e.cutoff:%Y-%m-%d %H:%M} UTC: {e.train_lines:,} order lines before "
        f"({e.train_products:,} products), {e.test_lines:,} after. Validation period from "
        f"{e.validation_cutoff:%Y-%m-%d %H:%M} UTC (the model's settings are chosen there).\n"
        f"Model: {e.similarity} (L2 {e.ease_l2:g}), {e.neighbours} neighbours, "
        f"half-life {e.half_life_days:g} days, repeat weight {e.repeat_weight:g} ({chosen}); "
        f"trending over {e.trending_days:g} days; bought products offered again from a "
        f"repeat rate of {e.repeat_rate:g}.\n"
    )
    tables = []
    for variant in VARIANTS:
        results = [r for r in e.results if r.variant == variant]
        rows = [("method", f"Recall@{K}", f"NDCG@{K}", f"HitRate@{K}", "coverage", "customers")]
        rows += [
            (
                r.name,
                f"{r.recall:.4f}",
                f"{r.ndcg:.4f}",
                f"{r.hit_rate:.3f}",
                f"{r.coverage:.1%}",
                f"{r.customers:,}",
            )
            for r in results
        ]
        tables.append(f"\n{VARIANT_TITLES[variant]}:\n\n" + _markdown(rows))
    return header + "".join(tables)


def _markdown(rows):
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
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
    return "\n".join(lines) + "\n"
