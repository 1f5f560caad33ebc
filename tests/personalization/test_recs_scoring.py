"""Scoring recommendations from a built model."""

import math

import pytest

from omni_plugin.personalization.recs.scoring import (
    Scored,
    buy_again,
    from_neighbours,
    history_seeds,
    most_popular,
    repeat_scores,
    strongest_seeds,
)

NOW = 1_700_000_000.0
DAY = 86400.0

NEIGHBOURS = {
    1: [(2, 0.9), (3, 0.4), (4, 0.2)],
    2: [(4, 0.8), (3, 0.2), (1, 0.9)],
    5: [(6, 1.0)],
}


def test_from_neighbours_sums_the_seeds_and_names_the_main_contributor():
    scored = from_neighbours({1: 1.0, 2: 0.5}, NEIGHBOURS)

    # 4: 1.0 * 0.2 + 0.5 * 0.8 (mostly from 2); 3: 1.0 * 0.4 + 0.5 * 0.2 (mostly from 1).
    assert scored == [Scored(4, pytest.approx(0.6), 2), Scored(3, pytest.approx(0.5), 1)]


def test_from_neighbours_never_returns_seeds_nor_excluded_products():
    assert [s.product_id for s in from_neighbours({1: 1.0}, NEIGHBOURS)] == [2, 3, 4]
    assert [s.product_id for s in from_neighbours({1: 1.0}, NEIGHBOURS, exclude={2, 4})] == [3]
    assert from_neighbours({}, NEIGHBOURS) == []
    assert from_neighbours({99: 1.0}, NEIGHBOURS) == []


def test_from_neighbours_limits_and_breaks_ties_by_product_id():
    neighbours = {1: [(9, 0.5), (5, 0.5), (7, 0.5)], 2: [(8, 0.25)]}

    assert [s.product_id for s in from_neighbours({1: 1.0, 2: 2.0}, neighbours)] == [5, 7, 8, 9]
    assert [s.product_id for s in from_neighbours({1: 1.0}, neighbours, limit=2)] == [5, 7]


def test_from_neighbours_does_not_depend_on_the_order_of_seeds():
    seeds = {n: 1 / n for n in range(1, 40)}
    neighbours = {n: [((n * 7 + k) % 50, 1 / (k + 3)) for k in range(20)] for n in range(1, 40)}

    forwards = from_neighbours(seeds, neighbours, limit=30)
    backwards = from_neighbours(dict(reversed(seeds.items())), neighbours, limit=30)

    assert forwards == backwards
    assert [s.score for s in forwards] == sorted((s.score for s in forwards), reverse=True)


def test_history_seeds_decay_with_age():
    seeds = history_seeds(
        [
            (1, 1.0, NOW),
            (1, 3.0, NOW - 30 * DAY),
            (2, 5.0, NOW - 60 * DAY),
            (3, 2.0, NOW + DAY),  # a clock ahead: counted as now
        ],
        now=NOW,
        half_life_days=30,
    )

    assert seeds == pytest.approx({1: 1.0 + 1.5, 2: 1.25, 3: 2.0})
    assert history_seeds([], now=NOW, half_life_days=30) == {}


def test_buy_again_keeps_products_bought_again_often_enough():
    purchased = {1: (3, NOW - DAY), 2: (1, NOW), 3: (5, NOW), 4: (2, NOW)}
    repeat_rate = {1: 0.5, 2: 0.6, 3: 0.05}  # 4 was never bought twice by anyone

    scored = buy_again(purchased, repeat_rate, threshold=0.1)

    assert scored == [
        Scored(1, pytest.approx(0.5 * (1 + math.log(3))), None),
        Scored(2, pytest.approx(0.6), None),
    ]
    assert buy_again(purchased, repeat_rate, threshold=0.55) == [Scored(2, 0.6, None)]
    assert buy_again(purchased, repeat_rate, threshold=0.1, limit=1)[0].product_id == 1


def test_buy_again_puts_the_most_recent_first_on_equal_scores():
    purchased = {1: (2, NOW - DAY), 2: (2, NOW)}

    scored = buy_again(purchased, {1: 0.5, 2: 0.5}, threshold=0.1)

    assert [s.product_id for s in scored] == [2, 1]


def test_most_popular_excludes_and_breaks_ties_by_product_id():
    popularity = {5: 0.5, 1: 1.0, 3: 0.5, 4: 0.2}

    assert most_popular(popularity) == [
        Scored(1, 1.0, None),
        Scored(3, 0.5, None),
        Scored(5, 0.5, None),
        Scored(4, 0.2, None),
    ]
    assert [s.product_id for s in most_popular(popularity, exclude={1, 3}, limit=1)] == [5]
    assert most_popular({}) == []


def test_a_seed_bought_again_counts_as_its_own_neighbour():
    neighbours = {1: [(2, 0.4)], 3: [(2, 0.1)]}

    scored = from_neighbours({1: 1.0, 3: 2.0}, neighbours, again={3: 0.5, 1: 0.0})

    assert [(s.product_id, s.because) for s in scored] == [(3, 3), (2, 1)]  # 1 not again
    assert [s.score for s in scored] == pytest.approx([1.0, 0.6])


def test_strongest_seeds_keep_the_latest_not_the_sum():
    events = [(1, 5.0, NOW - 100 * DAY), (1, 5.0, NOW - 90 * DAY), (2, 1.0, NOW)]
    seeds = history_seeds(events, now=NOW, half_life_days=90, strongest=True)

    assert seeds == pytest.approx({1: 2.5, 2: 1.0})
    assert strongest_seeds({3: 1.0, 1: 2.0, 2: 1.0}, 2) == {1: 2.0, 2: 1.0}


def test_the_repeat_weight_blends_bought_and_new_products():
    """Bought 1 (three times) and 2 (once), equally recent; 9 is a new neighbour of both."""
    seeds = {1: 1.0, 2: 1.0}
    neighbours = {1: [(9, 0.3)], 2: [(9, 0.3)]}
    rates = {1: 0.5, 2: 0.5, 9: 0.5}

    def ranked(weight, threshold=0.0):
        again = repeat_scores({1: 3, 2: 1}, rates, threshold=threshold, weight=weight)
        return [entry.product_id for entry in from_neighbours(seeds, neighbours, again=again)]

    assert ranked(0.0) == [9]  # new products only
    assert ranked(0.5) == [9, 1, 2]  # 0.6 > 0.5 × (1 + ln 3) / 2 > 0.25
    assert ranked(4.0) == [1, 2, 9]  # what they buy often first
    assert ranked(4.0, threshold=0.6) == [9]
    assert repeat_scores({1: 3}, {1: 0.0}, threshold=0.0, weight=1.0) == {}
