"""Offline evaluation of the recommendation strategies, and its management command."""

import gzip
import math
import re
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from omni_plugin.personalization.recs import evaluation as evaluation_module
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


def by_name(evaluation, variant="repeats"):
    return {
        r.name: (r.recall, r.ndcg, r.coverage) for r in evaluation.results if r.variant == variant
    }


POPULARITY = "baseline: popularity (distinct buyers)"


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
    evaluation = evaluate(read_orders(orders_csv), cutoff=CUTOFF, ease_l2=10, repeat_weight=1)

    assert (evaluation.train_lines, evaluation.test_lines, evaluation.train_products) == (8, 4, 4)
    customers = {(r.variant, r.customers) for r in evaluation.results}
    assert customers == {("new", 2), ("repeats", 2)}
    # Distinct buyers: A (3), B (2), C and D (1 each). Customer 3 (bought A, C) buys B,
    # customer 1 (bought A, B) buys C and D: all found, at ranks 2 and 3, 4.
    assert by_name(evaluation)[POPULARITY] == pytest.approx(
        (1.0, (ndcg(2, relevant=1) + ndcg(3, 4, relevant=2)) / 2, 1.0)
    )
    # New products only: what they bought is left out, so the hits come first; customer 3
    # is offered B and D, customer 1 C and D.
    assert by_name(evaluation, "new")[POPULARITY] == pytest.approx((1.0, 1.0, 0.75))
    hit_rates = {(r.name, r.variant): r.hit_rate for r in evaluation.results}
    assert hit_rates[(POPULARITY, "new")] == 1.0
    assert hit_rates[("buy_again", "new")] == 0.0
    for variant in ("new", "repeats"):
        scores = by_name(evaluation, variant)
        assert {"for_you", "baseline: item-kNN (cosine, shrinkage 20)"} <= set(scores)
        assert all(0 <= value <= 1 for values in scores.values() for value in values)


def test_settings_are_chosen_on_the_validation_period_only(orders_csv, monkeypatch):
    periods = []
    original = evaluation_module._period

    def recording(train, test, split, settings, ease_l2):
        periods.append((train.times.max(), test.times.min(), test.times.max(), split))
        return original(train, test, split, settings, ease_l2)

    monkeypatch.setattr(evaluation_module, "_period", recording)
    monkeypatch.setattr(evaluation_module, "EASE_L2_GRID", (10.0, 20.0))
    monkeypatch.setattr(evaluation_module, "REPEAT_WEIGHT_GRID", (0.5, 1.0))
    evaluation = evaluate(read_orders(orders_csv), cutoff=CUTOFF)

    cutoff = CUTOFF.replace(tzinfo=UTC).timestamp()
    *tuning, final = periods
    assert len(tuning) == 3  # one model per L2, one more to weigh the repeats
    assert all(fit_end < split <= first <= last < cutoff for fit_end, first, last, split in tuning)
    assert final[3] == cutoff and final[1] >= cutoff
    assert evaluation.tuned
    assert evaluation.ease_l2 in (10.0, 20.0) and evaluation.repeat_weight in (0.5, 1.0)


def test_tuning_picks_the_best_on_validation(orders_csv, monkeypatch):
    """Validation Recall@10 grows with the L2 in this made-up scorer: the largest wins,
    and equal scores go to the first candidate."""
    orders = read_orders(orders_csv)
    train = orders.subset(orders.times < CUTOFF.replace(tzinfo=UTC).timestamp())
    split = evaluation_module.split_time(train)

    def score(name, variant, recommend, period):
        return evaluation_module.Result(name, variant, period.model.stats["l2"], 0, 0, 0, 1)

    original_period = evaluation_module._period

    def period(train, test, split, settings, ease_l2):
        built = original_period(train, test, split, settings, ease_l2)
        built.model.stats["l2"] = ease_l2 if variant_scores["l2"] else 0.0
        return built

    variant_scores = {"l2": True}
    monkeypatch.setattr(evaluation_module, "_score", score)
    monkeypatch.setattr(evaluation_module, "_period", period)
    monkeypatch.setattr(evaluation_module, "EASE_L2_GRID", (10.0, 40.0, 20.0))
    settings = {"similarity": "ease", "neighbours": 5, "half_life_days": 90, "trending_days": 7}
    l2, weight = evaluation_module.tune(train, split, settings, 0.0)
    assert l2 == 40.0
    assert weight == evaluation_module.REPEAT_WEIGHT_GRID[0]  # all equal: the first


def test_trending_falls_back_to_the_overall_list(orders_csv):
    evaluation = evaluate(read_orders(orders_csv), cutoff=CUTOFF, trending_days=40, baselines=False)

    # Overall and in the UK: B, A (two customers each), then the popular C and D.
    assert by_name(evaluation)["trending"] == pytest.approx(
        (1.0, (ndcg(1, relevant=1) + ndcg(3, 4, relevant=2)) / 2, 1.0)
    )


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
    output = run(str(orders_csv), "--cutoff", "2011-02-01", "--ease-l2", "10")

    assert "New products only:" in output and "Repeats allowed:" in output
    assert "4 products" in output
    assert "ease (L2 10), 50 neighbours, half-life 90 days" in output
    assert "chosen on the validation period" in output
    assert re.search(r"^\| baseline: popularity \(distinct buyers\) +\| +1\.0000 \|", output, re.M)
    for name in ("for_you", "trending", "baseline: buy again, then popular"):
        assert re.search(rf"^\| {re.escape(name)} +\|.* \| +2 \|$", output, re.M), output
    assert output == format_table(evaluate(read_orders(orders_csv), cutoff=CUTOFF, ease_l2=10))


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


@pytest.fixture(scope="module")
def sample_evaluation():
    return evaluate(read_orders(SHARED_SAMPLE))


@shared_sample
def test_on_the_shared_sample_for_you_beats_the_baselines(sample_evaluation):
    assert sample_evaluation.tuned
    for variant, customers in (("new", 1377), ("repeats", 1395)):
        results = {r.name: r for r in sample_evaluation.results if r.variant == variant}
        assert results["for_you"].customers == customers
        assert results["for_you"].coverage > 0.3
        for baseline in (
            POPULARITY,
            "baseline: item-kNN (cosine, shrinkage 20)",
            "baseline: buy again, then popular",
        ):
            assert results["for_you"].recall > results[baseline].recall, (variant, baseline)
            assert results["for_you"].ndcg > results[baseline].ndcg, (variant, baseline)
