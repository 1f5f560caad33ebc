"""Offline evaluation of the recommendation strategies, and its management command."""

import gzip
import math
import re
from datetime import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from omni_plugin.personalization.recs.evaluation import (
    DatasetError,
    evaluate,
    format_table,
    ndcg_at,
    read_orders,
    recall_at,
    split_time,
)

SHARED_SAMPLE = Path(__file__).resolve().parents[3] / "shared/datasets/online-retail-sample.csv.gz"
HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
# Before 2011-02-01: A with B twice, A with C once, D alone; customer 2 buys B again.
# After: customer 3 buys B, customer 1 buys C and D, customer 9 (new) buys A.
ORDERS = """\
1001,A,Mug,1,2011-01-01T10:00,1.0,1,United Kingdom
1001,B,Bowl,1,2011-01-01T10:00,1.0,1,United Kingdom
1002,A,Mug,2,2011-01-02T10:00,1.0,2,United Kingdom
1002,B,Bowl,1,2011-01-02T10:00,1.0,2,United Kingdom
1003,A,Mug,1,2011-01-03T10:00,1.0,3,France
1003,C,Cup,1,2011-01-03T10:00,1.0,3,France
1004,D,Plate,1,2011-01-04T10:00,1.0,4,United Kingdom
1005,E,Jug,50,2011-01-05T10:00,1.0,,United Kingdom
1005,E,Jug,50,2011-01-06T10:00,1.0,,United Kingdom
1006,B,Bowl,1,2011-01-10T10:00,1.0,2,United Kingdom
2001,B,Bowl,1,2011-02-05T10:00,1.0,3,France
2002,C,Cup,1,2011-02-06T10:00,1.0,1,United Kingdom
2002,D,Plate,1,2011-02-06T10:00,1.0,1,United Kingdom
C2003,E,Jug,-1,2011-02-07T10:00,1.0,4,United Kingdom
2004,A,Mug,-2,2011-02-07T10:00,1.0,2,United Kingdom
2005,A,Mug,1,2011-02-08T10:00,1.0,9,United Kingdom
"""
CUTOFF = datetime(2011, 2, 1)


def ndcg(*ranks, relevant):
    """NDCG of hits at the given 1-based ranks, for ``relevant`` relevant products."""
    gain = sum(1 / math.log2(rank + 1) for rank in ranks)
    return gain / sum(1 / math.log2(rank + 2) for rank in range(min(relevant, 10)))


@pytest.fixture
def orders_csv(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + ORDERS)
    return path


def by_name(evaluation):
    return {s.name: (s.recall, s.ndcg, s.coverage) for s in evaluation.strategies}


def test_reading_skips_cancellations_returns_and_unknown_customers(orders_csv):
    orders = read_orders(orders_csv)

    assert len(orders) == 12
    assert orders.codes == ["A", "B", "C", "D"]
    assert sorted(set(orders.customers.tolist())) == [1, 2, 3, 4, 9]
    assert orders.times[0] == datetime.fromisoformat("2011-01-01T10:00+00:00").timestamp()


def test_reading_a_gzipped_file(tmp_path, orders_csv):
    zipped = tmp_path / "orders.csv.gz"
    zipped.write_bytes(gzip.compress(orders_csv.read_bytes()))

    assert len(read_orders(zipped)) == len(read_orders(orders_csv))


def test_known_scores_on_a_tiny_split(orders_csv):
    evaluation = evaluate(read_orders(orders_csv), cutoff=CUTOFF)

    assert (evaluation.test_customers, evaluation.test_products) == (2, 3)
    assert (evaluation.train_lines, evaluation.test_lines, evaluation.train_products) == (8, 4, 4)
    scores = by_name(evaluation)
    # Popular: B (three purchases, the latest), A, D (newer than C), C. Customer 3 bought
    # B (rank 1), customer 1 bought C and D (ranks 4 and 3).
    assert scores["popularity"] == pytest.approx((1.0, (1.0 + ndcg(3, 4, relevant=2)) / 2, 4 / 4))
    # Customer 3 (A, C) is recommended B, customer 1 (A, B) is recommended C.
    new_only = (0.75, (1.0 + ndcg(1, relevant=2)) / 2, 2 / 4)
    assert scores["for_you, new products only"] == pytest.approx(new_only)
    assert scores["bought_together, new products only"] == pytest.approx(new_only)
    # Half of B's buyers bought it again: customer 1 is offered B first, then C.
    with_repeats = (0.75, (1.0 + ndcg(2, relevant=2)) / 2, 2 / 4)
    assert scores["for_you"] == pytest.approx(with_repeats)
    assert scores["bought_together"] == pytest.approx(with_repeats)
    # Only B was ever bought again; customer 1 bought it once and is offered it again.
    assert scores["buy_again"] == pytest.approx((0.0, 0.0, 1 / 4))
    # Nothing was ordered in the week before the cutoff.
    assert scores["trending"] == (0.0, 0.0, 0.0)


def test_trending_falls_back_to_the_overall_list(orders_csv):
    evaluation = evaluate(read_orders(orders_csv), cutoff=CUTOFF, trending_days=40)

    # Overall and in the UK: B, A (two customers each); nothing in France (customer 3).
    assert by_name(evaluation)["trending"] == pytest.approx((0.5, 0.5, 2 / 4))


def test_the_default_split_is_the_last_fifth_of_the_time_span(orders_csv):
    orders = read_orders(orders_csv)
    first, last = orders.times.min(), orders.times.max()

    assert split_time(orders) == pytest.approx(last - 0.2 * (last - first))
    assert split_time(orders, test_share=0.5) == pytest.approx((first + last) / 2)
    assert (
        split_time(orders, cutoff=CUTOFF)
        == datetime.fromisoformat("2011-02-01T00:00+00:00").timestamp()
    )
    with pytest.raises(DatasetError, match="between 0 and 1"):
        split_time(orders, test_share=1.5)


def test_metrics():
    assert recall_at([1, 2, 3], {2, 9}) == 0.5
    assert ndcg_at([1, 2, 3], {1, 2}) == 1.0
    assert ndcg_at([5, 1], {1}) == pytest.approx(1 / math.log2(3))
    assert ndcg_at([], {1}) == 0.0


def test_a_csv_without_the_columns_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("InvoiceNo,Description,Quantity,When\n1,Mug,1,2011-01-01\n")

    with pytest.raises(DatasetError, match="missing the column\\(s\\) StockCode, InvoiceDate"):
        read_orders(path)


def test_a_bad_line_is_named(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "1001,A,Mug,1,yesterday,1.0,1,United Kingdom\n")

    with pytest.raises(DatasetError, match="line 2"):
        read_orders(path)


def test_a_split_with_nobody_on_both_sides_is_refused(orders_csv):
    with pytest.raises(DatasetError, match="no order line on one side"):
        evaluate(read_orders(orders_csv), cutoff=datetime(2012, 1, 1))
    with pytest.raises(DatasetError, match="No customer ordered both"):
        evaluate(read_orders(orders_csv), cutoff=datetime(2011, 2, 8))


def run(*args):
    out = StringIO()
    call_command("omni_recs_evaluate", *args, stdout=out)
    return out.getvalue()


def table_row(output, name):
    match = re.search(rf"^\| {name} +\| +([\d.]+) \| +([\d.]+) \| +([\d.]+)% \|$", output, re.M)
    assert match, output
    return tuple(float(value) for value in match.groups())


def test_the_command_prints_the_table(orders_csv):
    output = run(str(orders_csv), "--cutoff", "2011-02-01", "--similarity", "jaccard")

    assert "2 test customers" in output
    assert "4 products" in output
    assert "jaccard similarity, 50 neighbours, half-life 90 days" in output
    assert table_row(output, "popularity") == (1.0, 0.7853, 100.0)
    assert table_row(output, "for_you") == (0.75, 0.6934, 50.0)
    assert output == format_table(
        evaluate(read_orders(orders_csv), cutoff=CUTOFF, similarity="jaccard")
    )


def test_the_command_takes_a_test_share(orders_csv):
    output = run(str(orders_csv), "--test-share", "0.3", "--neighbours", "5")

    assert "5 neighbours" in output


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.csv"], "No orders file at missing.csv"),
        (["{orders}", "--cutoff", "soon"], "'soon' is not an ISO date"),
        (["{orders}", "--cutoff", "2012-01-01"], "no order line on one side"),
        (["{orders}", "--test-share", "2"], "between 0 and 1"),
        (["{orders}", "--neighbours", "0"], "must be positive"),
        (["{headerless}"], "missing the column\\(s\\) InvoiceNo"),
        (["{binary}"], "not a readable CSV file"),
    ],
)
def test_the_command_explains_what_it_cannot_evaluate(tmp_path, orders_csv, args, message):
    headerless = tmp_path / "headerless.csv"
    headerless.write_text(ORDERS)
    binary = tmp_path / "binary.csv.gz"
    binary.write_bytes(b"\x1f\x8b not really gzip")
    paths = {"orders": orders_csv, "headerless": headerless, "binary": binary}

    with pytest.raises(CommandError, match=message):
        run(*(arg.format(**paths) for arg in args))


shared_sample = pytest.mark.skipif(
    not SHARED_SAMPLE.is_file(), reason=f"the shared Online Retail sample is not at {SHARED_SAMPLE}"
)


# The sample keeps 7.4% of the data set's lines at random, so a product's repeat rate there
# is about 7.4% of the real one: the shop's default threshold of 0.2 becomes 0.015.
SAMPLE_REPEAT_RATE = 0.015


@pytest.fixture(scope="module")
def sample_evaluation():
    return evaluate(read_orders(SHARED_SAMPLE), repeat_rate=SAMPLE_REPEAT_RATE)


@shared_sample
def test_on_the_shared_sample_the_personal_strategies_cover_the_catalogue(sample_evaluation):
    scores = by_name(sample_evaluation)

    assert sample_evaluation.test_customers > 1000
    assert all(0 <= value <= 1 for values in scores.values() for value in values)
    assert scores["for_you"][0] > scores["buy_again"][0] > 0
    assert scores["for_you"][2] > 0.5
    assert scores["popularity"][2] == pytest.approx(10 / sample_evaluation.train_products)


@shared_sample
def test_on_the_shared_sample_for_you_and_bought_together_beat_popularity(sample_evaluation):
    scores = by_name(sample_evaluation)

    assert scores["for_you"][0] > scores["popularity"][0]
    assert scores["bought_together"][0] > scores["popularity"][0]
