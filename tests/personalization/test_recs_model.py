"""The recommendation model: co-occurrence similarities, decay, top-N, repeat rates, trending."""

import math

import numpy as np
import pytest

from omni_plugin.personalization.recs import model
from omni_plugin.personalization.recs.model import Interactions, build_model

NOW = 1_700_000_000.0
DAY = 86400.0
A, B, C = 101, 202, 303


def purchase(user, item, basket, *, days_ago=0.0, weight=1.0, place=""):
    return (user, item, weight, NOW - days_ago * DAY, basket, place)


def view(user, item, *, days_ago=0.0, weight=1.0, place=""):
    return (user, item, weight, NOW - days_ago * DAY, -1, place)


def assert_neighbours(actual, expected):
    """The same products in the same order, with the same scores give or take rounding."""
    assert [product for product, _ in actual] == [product for product, _ in expected]
    assert [score for _, score in actual] == pytest.approx([score for _, score in expected])


def assert_same_tables(actual, expected):
    assert actual.keys() == expected.keys()
    for product in expected:
        assert_neighbours(actual[product], expected[product])


def shrunk(similarity, support):
    return similarity * support / (support + model.SHRINKAGE)


# Three customers, one basket each: A with B twice, A with C once.
THREE_BASKETS = Interactions.from_rows(
    [
        purchase(1, A, 10),
        purchase(1, B, 10),
        purchase(2, A, 20),
        purchase(2, B, 20),
        purchase(3, A, 30),
        purchase(3, C, 30),
    ]
)


@pytest.mark.parametrize(
    "similarity, a_b, a_c",
    [
        # A: 3 customers, B: 2, C: 1; A and B together 2 times, A and C once; 3 customers.
        ("cosine", 2 / math.sqrt(3 * 2), 1 / math.sqrt(3 * 1)),
        ("jaccard", 2 / (3 + 2 - 2), 1 / (3 + 1 - 1)),
        ("lift", 2 * 3 / (3 * 2), 1 * 3 / (3 * 1)),
    ],
)
def test_similarities_of_known_pairs(similarity, a_b, a_c):
    built = build_model(THREE_BASKETS, similarity=similarity)

    expected_a = sorted(
        [(B, shrunk(a_b, 2)), (C, shrunk(a_c, 1))], key=lambda pair: (-pair[1], pair[0])
    )
    assert_same_tables(
        built.related,
        {A: expected_a, B: [(A, shrunk(a_b, 2))], C: [(A, shrunk(a_c, 1))]},
    )
    # One basket per customer: the baskets tell the same story as the histories.
    assert_same_tables(built.bought_with, built.related)
    assert built.stats == {
        "interactions": 6,
        "users": 3,
        "products": 3,
        "similarity": similarity,
        "neighbours": 50,
        "seconds": pytest.approx(built.stats["seconds"]),
    }


def test_bought_with_comes_from_baskets_and_related_from_whole_histories():
    built = build_model(
        Interactions.from_rows(
            [purchase(1, A, 10), purchase(1, B, 11), view(1, C), purchase(2, A, 20)]
        )
    )

    assert {product for product, _ in built.related[A]} == {B, C}
    assert built.bought_with == {}


def test_decay_makes_old_interactions_count_less():
    built = build_model(
        Interactions.from_rows(
            [
                purchase(1, A, 10, days_ago=90),
                purchase(1, B, 10, days_ago=90),
                purchase(2, A, 20),
                purchase(2, C, 20),
            ]
        ),
        half_life_days=90,
    )

    # Customer 1 counts half: A = 0.5 + 1, B = 0.5, C = 1.
    assert built.popularity == pytest.approx({A: 1.0, C: 1 / 1.5, B: 0.5 / 1.5})
    assert list(built.popularity) == [A, C, B]
    a_b = 0.25 / math.sqrt(1.25 * 0.25)
    a_c = 1 / math.sqrt(1.25 * 1)
    assert_neighbours(built.related[A], [(C, shrunk(a_c, 1)), (B, shrunk(a_b, 1))])


def test_decay_counts_from_now_when_given():
    rows = [view(1, A, days_ago=30), view(2, B, days_ago=0)]
    default = build_model(Interactions.from_rows(rows), half_life_days=30)
    later = build_model(Interactions.from_rows(rows), half_life_days=30, now=NOW + 30 * DAY)

    assert default.popularity == pytest.approx({B: 1.0, A: 0.5})
    assert later.popularity == pytest.approx({B: 1.0, A: 0.5})
    assert build_model(Interactions.from_rows(rows), now=NOW - 30 * DAY).popularity == {
        A: 1.0,
        B: 1.0,
    }


def test_top_n_keeps_the_best_neighbours_and_breaks_ties_by_product_id():
    # One customer viewed ten products: every pair has the same similarity.
    built = build_model(
        Interactions.from_rows([view(1, item) for item in range(10, 0, -1)]), neighbours=3
    )

    assert [product for product, _ in built.related[1]] == [2, 3, 4]
    assert [product for product, _ in built.related[10]] == [1, 2, 3]
    assert all(len(entries) == 3 for entries in built.related.values())


def test_blocks_give_the_same_model_as_one_pass(monkeypatch):
    rng = np.random.default_rng(3)
    rows = [
        purchase(int(user), int(item), int(user) * 10 + int(item) % 3, days_ago=float(age))
        for user, item, age in zip(
            rng.integers(0, 40, 600), rng.integers(0, 80, 600), rng.random(600) * 100, strict=True
        )
    ]
    whole = build_model(Interactions.from_rows(rows), neighbours=5)
    monkeypatch.setattr(model, "BLOCK_ENTRIES", 1)
    seen = []

    def progress(iterable, total=None, desc=None):
        seen.append((desc, total))
        return iterable

    blocked = build_model(Interactions.from_rows(rows), neighbours=5, progress=progress)

    assert_same_tables(blocked.related, whole.related)
    assert_same_tables(blocked.bought_with, whole.bought_with)
    assert [desc for desc, _ in seen] == ["related products", "bought together"]
    assert all(total > 1 for _, total in seen)


def test_repeat_rate_is_the_share_of_buyers_who_bought_in_two_baskets():
    built = build_model(
        Interactions.from_rows(
            [
                purchase(1, A, 10),
                purchase(1, A, 11),  # customer 1 bought A again
                purchase(2, A, 20),
                purchase(3, A, 30),
                purchase(3, A, 30),  # two lines of one basket are not a repeat
                purchase(1, B, 10),
                view(4, A),
                view(4, A),  # views are not purchases
                view(4, C),
            ]
        )
    )

    # Shrunk towards the share over all products, 1 of 4 buyers, as if 10 more had bought it.
    prior = model.REPEAT_PRIOR_BUYERS * 1 / 4
    assert built.repeat_rate == pytest.approx({A: (1 + prior) / 13, B: prior / 11})


def test_the_raw_repeat_rate_without_a_prior(monkeypatch):
    monkeypatch.setattr(model, "REPEAT_PRIOR_BUYERS", 0)
    built = build_model(
        Interactions.from_rows(
            [purchase(1, A, 10), purchase(1, A, 11), purchase(2, A, 20), purchase(1, B, 10)]
        )
    )
    assert built.repeat_rate == pytest.approx({A: 1 / 2, B: 0.0})


def binary(rows, columns, shape):
    from scipy import sparse

    return sparse.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=shape)


def test_ease_weights_are_the_closed_form_ridge_regression():
    """Each column of B is the ridge regression of that product on all the others."""
    generator = np.random.default_rng(7)
    dense = (generator.random((40, 6)) < 0.4).astype(float)
    rows, columns = np.nonzero(dense)
    product_ids = np.array([11, 12, 13, 14, 15, 16])
    related = model.ease_neighbours(
        binary(rows, columns, dense.shape), product_ids, 6, l2=3.0, size=6
    )
    for target in range(6):
        others = [index for index in range(6) if index != target]
        x = dense[:, others]
        expected = np.linalg.solve(x.T @ x + 3.0 * np.eye(5), x.T @ dense[:, target])
        for index, weight in zip(others, expected, strict=True):
            got = dict(related.get(product_ids[index], [])).get(product_ids[target])
            if weight > 0:
                assert got == pytest.approx(weight)
            else:
                assert got is None  # only positive weights are kept


def test_ease_neighbours_by_construction():
    # A and B are always bought together; C with A once; D alone.
    users = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 4, 5]
    items = [0, 1, 0, 1, 0, 1, 0, 1, 0, 2, 1, 3]
    product_ids = np.array([A, B, C, 404])
    related = model.ease_neighbours(binary(users, items, (6, 4)), product_ids, 5, l2=1.0, size=4)

    assert related[A][0][0] == B and related[B][0][0] == A
    assert 404 not in related  # nobody bought it with anything


def test_ease_covers_only_the_most_bought_products_and_keeps_cosine_for_the_rest():
    rows = [purchase(user, A, user) for user in range(5)]
    rows += [purchase(user, B, user) for user in range(4)]
    rows += [purchase(0, C, 0), purchase(1, C, 1)]
    eased = build_model(Interactions.from_rows(rows), similarity="ease", ease_products=2)
    cosine = build_model(Interactions.from_rows(rows), similarity="cosine")

    assert eased.related[C] == cosine.related[C]
    assert eased.related[A] != cosine.related[A]
    assert [product for product, _ in eased.related[A]] == [B]
    with pytest.raises(ValueError, match="must be positive"):
        build_model(Interactions.from_rows(rows), similarity="ease", ease_l2=0)


def test_trending_per_country_and_region_within_the_window():
    rows = [
        # A: two customers in Scotland this week, and one in France.
        view(1, A, days_ago=1, place="GB/Scotland"),
        view(2, A, days_ago=2, place="GB/Scotland"),
        view(6, A, days_ago=2, place="FR"),
        # B: one customer in England and one without a place, this week.
        view(3, B, days_ago=1, place="GB"),
        view(4, B, days_ago=1),
        # C: two customers in England and Wales ten days ago.
        view(5, C, days_ago=10, place="GB"),
        view(8, C, days_ago=10, place="GB/Wales"),
        # 404 is busy but a single customer's: not trending.
        *[view(7, 404, days_ago=0.5, weight=5.0, place="GB") for _ in range(10)],
    ]

    week = build_model(Interactions.from_rows(rows), trending_days=7).trending
    fortnight = build_model(Interactions.from_rows(rows), trending_days=14).trending

    assert week == {"": [A, B], "GB": [A], "GB/Scotland": [A]}
    assert fortnight == {"": [A, B, C], "GB": [A, C], "GB/Scotland": [A]}


def test_trending_favours_the_latest_days():
    rows = [
        *[view(user, A, days_ago=6) for user in (1, 2, 3)],
        *[view(user, B, days_ago=0) for user in (4, 5)],
    ]

    # Three views six days ago weigh 3 / 2 ** (6 / 3.5) = 0.92 against two of today.
    assert build_model(Interactions.from_rows(rows), trending_days=7).trending[""] == [B, A]


def test_unknown_similarity_is_refused():
    with pytest.raises(ValueError, match="'pearson'.*cosine, jaccard, lift"):
        build_model(THREE_BASKETS, similarity="pearson")


@pytest.mark.parametrize(
    "option", [{"neighbours": 0}, {"half_life_days": 0}, {"trending_days": -1}]
)
def test_sizes_and_durations_must_be_positive(option):
    with pytest.raises(ValueError, match="must be positive"):
        build_model(THREE_BASKETS, **option)


def test_empty_input_gives_an_empty_model():
    built = build_model(Interactions.from_rows([]))

    assert (built.related, built.bought_with, built.popularity, built.repeat_rate) == (
        {},
        {},
        {},
        {},
    )
    assert built.trending == {"": []}
    assert built.stats["interactions"] == 0
    assert built.stats["products"] == 0


def test_interactions_without_a_positive_weight_are_ignored():
    built = build_model(Interactions.from_rows([view(1, A, weight=0.0), view(1, B)]))

    assert built.popularity == {B: 1.0}
    assert built.related == {}


def test_from_rows_types_the_columns():
    interactions = Interactions.from_rows([(1, 2, 3.0, NOW, -1, None), (4, 5, 1, NOW, 7, "GB")])

    assert interactions.users.dtype == np.int64
    assert interactions.weights.dtype == np.float32
    assert interactions.times.dtype == np.float64
    assert interactions.places.tolist() == ["", "GB"]
    assert len(interactions) == 2


def test_interactions_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="same length"):
        Interactions([1, 2], [1], [1.0], [NOW], [-1], [""])
