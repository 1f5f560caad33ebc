"""Scoring recommendations from a built model: pure Python, used online and offline."""

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

DAY = 86400.0


class Scored(NamedTuple):
    product_id: int
    score: float
    because: int | None  # the seed that contributed most ("because you viewed X")


def from_neighbours(
    seeds: Mapping[int, float],
    neighbours: Mapping[int, Sequence[tuple[int, float]]],
    *,
    again: Mapping[int, float] | None = None,
    exclude=frozenset(),
    limit=10,
) -> list[Scored]:
    """Products scored by ``sum over seeds s of seeds[s] * similarity(s, product)``.

    ``again`` maps seeds the customer may buy again to the chance that they do (their
    repeat rate): such a seed counts as its own neighbour with that chance as similarity.
    Other seeds and the products of ``exclude`` are never returned; best first, equal
    scores by id.
    """
    scores = {}
    best_seed = {}
    best_share = {}
    again = again or {}
    # Seeds in id order, so that the floating-point sums do not depend on the mapping's order.
    for seed in sorted(seeds):
        weight = seeds[seed]
        pairs = neighbours.get(seed, ())
        if again.get(seed):
            pairs = [*pairs, (seed, again[seed])]
        for product, similarity in pairs:
            share = weight * similarity
            if product in scores:
                scores[product] += share
                if share > best_share[product]:
                    best_share[product] = share
                    best_seed[product] = seed
            else:
                scores[product] = share
                best_share[product] = share
                best_seed[product] = seed
    candidates = (
        (score, product)
        for product, score in scores.items()
        if (product not in seeds or again.get(product)) and product not in exclude and score > 0
    )
    top = heapq.nsmallest(limit, candidates, key=lambda pair: (-pair[0], pair[1]))
    return [Scored(product, score, best_seed[product]) for score, product in top]


def history_seeds(
    events: Iterable[tuple[int, float, float]],
    *,
    now: float,
    half_life_days: float,
    strongest=False,
) -> dict[int, float]:
    """One customer's (product, weight, unix time) events -> decayed weight per product:
    their sum, or with ``strongest`` the largest (how much and how lately the customer
    cared for the product, not how often)."""
    seeds = {}
    for product, weight, when in events:
        age_days = max(now - when, 0.0) / DAY
        decayed = weight * 0.5 ** (age_days / half_life_days)
        if strongest:
            seeds[product] = max(seeds.get(product, 0.0), decayed)
        else:
            seeds[product] = seeds.get(product, 0.0) + decayed
    return seeds


def buy_again(
    purchased: Mapping[int, tuple[int, float]],
    repeat_rate: Mapping[int, float],
    *,
    threshold: float,
    limit=10,
) -> list[Scored]:
    """Products this customer bought that people tend to buy again.

    ``purchased`` maps a product to (times bought, last unix time). Only products whose
    repeat rate reaches ``threshold``; scored ``repeat_rate * (1 + ln(times bought))``,
    equal scores most recently bought first.
    """
    candidates = []
    for product, (times, last) in purchased.items():
        rate = repeat_rate.get(product, 0.0)
        if rate >= threshold and rate > 0 and times > 0:
            candidates.append((rate * (1 + math.log(times)), last, product))
    top = heapq.nsmallest(limit, candidates, key=lambda entry: (-entry[0], -entry[1], entry[2]))
    return [Scored(product, score, None) for score, _, product in top]


def most_popular(popularity: Mapping[int, float], *, exclude=frozenset(), limit=10) -> list[Scored]:
    """The most popular products not in ``exclude``; equal popularity by id."""
    if not popularity or limit <= 0:
        return []
    # The threshold comes from the values alone (fast, in C); few products pass it.
    threshold = heapq.nlargest(limit + len(exclude), popularity.values())[-1]
    candidates = sorted(
        (-score, product)
        for product, score in popularity.items()
        if score >= threshold and product not in exclude
    )
    return [Scored(product, -score, None) for score, product in candidates[:limit]]


def strongest_seeds(seeds: Mapping[int, float], size: int) -> dict[int, float]:
    """The ``size`` seeds of largest weight (equal weights by id)."""
    return dict(sorted(seeds.items(), key=lambda seed: (-seed[1], seed[0]))[:size])


def repeat_scores(
    bought: Mapping[int, int],
    repeat_rate: Mapping[int, float],
    *,
    threshold: float,
    weight: float,
) -> dict[int, float]:
    """The self-similarity of each bought product that may be bought again, for
    ``from_neighbours``'s ``again``.

    ``bought`` maps a product to how many orders held it. The self-similarity is
    ``weight × repeat rate × (1 + ln(times bought))``, for the products whose repeat rate
    reaches ``threshold``; ``from_neighbours`` multiplies it by the customer's seed weight
    (how lately they bought it). ``weight`` sets the blend with the neighbour scores of
    new products.
    """
    if weight <= 0:
        return {}
    return {
        product: weight * rate * (1 + math.log(max(times, 1)))
        for product, times in bought.items()
        if (rate := repeat_rate.get(product, 0.0)) >= threshold and rate > 0
    }
