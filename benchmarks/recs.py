"""What building the recommendation model costs, and how fast a for-you list is scored.

    .venv/bin/python benchmarks/recs.py [--interactions 1000000] [--products 20000]
                                        [--customers 2000] [--seeds 20]

Synthetic interactions: Zipf-like product popularity, customers with a favourite category
or two, sessions of views and basket additions, purchases grouped in baskets. No Django.
Every figure is printed next to a baseline measured in the same run: the raw co-occurrence
counts XᵀX of the same user × product matrix (the least any co-occurrence model computes),
the size of the input arrays, and sorting one product's neighbour list. Each request is
timed three times and its best time kept, so that the pauses of a busy machine do not count.
"""

import argparse
import multiprocessing
import re
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
from scipy import sparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from omni_plugin.personalization.recs.model import KIND_WEIGHTS, Interactions, build_model  # noqa: E402
from omni_plugin.personalization.recs.scoring import from_neighbours, most_popular  # noqa: E402

DAY = 86400.0
CATEGORY_SIZE = 100
PLACES = np.array(["GB", "GB/Scotland", "GB/Wales", "FR", "FR/Bretagne", "DE", "NL", ""])
PLACE_SHARES = np.array([0.45, 0.08, 0.05, 0.12, 0.03, 0.12, 0.05, 0.10])


def zipf_choice(rng, size, count, exponent=1.0):
    """``count`` draws from range(size), rank r drawn with a probability ∝ 1 / (r + 1) ** a."""
    weights = 1.0 / np.arange(1, size + 1) ** exponent
    return rng.choice(size, size=count, p=weights / weights.sum())


def synthetic_interactions(total, products, seed=7):
    rng = np.random.default_rng(seed)
    customers = total // 20
    # How many interactions each customer has: skewed, a few very active customers.
    activity = rng.lognormal(mean=0.0, sigma=1.0, size=customers)
    per_customer = np.maximum(1, np.round(activity / activity.sum() * total)).astype(np.int64)
    users = np.repeat(np.arange(customers), per_customer)[:total]
    total = len(users)

    # Products are shuffled so popularity is not in id order; categories hold 100 products.
    catalogue = rng.permutation(products) + 1000
    categories = products // CATEGORY_SIZE
    favourite = zipf_choice(rng, categories, customers, exponent=0.8)
    second = zipf_choice(rng, categories, customers, exponent=0.8)
    in_category = rng.random(total) < 0.7
    category = np.where(rng.random(total) < 0.7, favourite[users], second[users])
    within = zipf_choice(rng, CATEGORY_SIZE, total)
    anywhere = zipf_choice(rng, products, total)
    items = catalogue[np.where(in_category, category * CATEGORY_SIZE + within, anywhere)]

    # Sessions of about five interactions, spread over half a year.
    position = (
        np.arange(total) - np.repeat(np.cumsum(per_customer) - per_customer, per_customer)[:total]
    )
    session = users * 1000 + position // 5
    _, session = np.unique(session, return_inverse=True)
    session_start = rng.uniform(0, 180 * DAY, size=session.max() + 1)
    times = 1.7e9 + session_start[session] + (position % 5) * 60.0

    kinds = rng.choice(3, size=total, p=[0.75, 0.15, 0.10])
    weights = np.array(list(KIND_WEIGHTS.values()), dtype=np.float32)[kinds]
    baskets = np.where(kinds == 2, session, -1)
    places = PLACES[rng.choice(len(PLACES), size=customers, p=PLACE_SHARES)][users].astype(object)
    return Interactions(users, items, weights, times, baskets, places)


def raw_cooccurrences(interactions):
    _, items = np.unique(interactions.items, return_inverse=True)
    _, users = np.unique(interactions.users, return_inverse=True)
    matrix = sparse.csr_matrix((np.ones(len(users)), (users, items)))
    return matrix.T.tocsr() @ matrix


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def best_of(repeats, function, *args, **kwargs):
    """The shortest of ``repeats`` timings: a request that the scheduler of a busy, shared
    machine happens to pause is not slower code."""
    return min(timed(function, *args, **kwargs)[0] for _ in range(repeats))


def build(interactions):
    raw_seconds, counts = timed(raw_cooccurrences, interactions)
    entries = counts.nnz
    del counts
    seconds, model = timed(build_model, interactions)
    print(
        f"model build, {len(interactions):,} interactions over {model.stats['products']:,} "
        f"products and {model.stats['users']:,} customers: {seconds:.2f} s, vs {raw_seconds:.2f} s "
        f"for the raw co-occurrence counts XᵀX alone ({entries:,} entries) "
        f"-> {seconds / raw_seconds:.1f}x (goal: under 30 s)"
    )
    return model


def peak_memory(interactions, total, products):
    inputs = sum(
        getattr(interactions, name).nbytes for name in interactions.__dataclass_fields__
    ) + sum(sys.getsizeof(place) for place in set(interactions.places.tolist()))
    tracemalloc.start()
    build_model(interactions)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # The whole process's peak, in a fresh one so that nothing measured before counts.
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    child = context.Process(target=build_in_fresh_process, args=(total, products, results))
    child.start()
    before, after = results.get()
    child.join()
    print(
        f"model build peak memory (tracemalloc, on top of the input): {peak / 2**20:,.0f} MiB, "
        f"vs {inputs / 2**20:,.0f} MiB of input arrays -> {peak / inputs:.1f}x; peak RSS of a "
        f"fresh process building it: {after / 2**10:,.0f} MiB ({before / 2**10:,.0f} MiB "
        "with the input, before the build) (goal: under 1 GiB)"
    )


def build_in_fresh_process(total, products, results):
    interactions = synthetic_interactions(total, products)
    before = peak_rss_kib()
    build_model(interactions)
    results.put((before, peak_rss_kib()))


def peak_rss_kib():
    """The process's peak resident memory (Linux's VmHWM: unlike ru_maxrss, not inherited
    from the parent)."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.M).group(1))


def scoring(model, customers, seeds_per_customer):
    rng = np.random.default_rng(11)
    products = np.array(sorted(model.related))
    histories = [
        dict(
            zip(
                rng.choice(products, seeds_per_customer, replace=False).tolist(),
                rng.random(seeds_per_customer).tolist(),
                strict=True,
            )
        )
        for _ in range(customers)
    ]
    neighbours = [model.related[p] for p in rng.choice(products, customers).tolist()]
    for seeds in histories[:100]:  # warm-up
        from_neighbours(seeds, model.related)
    for_you = [best_of(3, from_neighbours, seeds, model.related) for seeds in histories]
    popular = [
        best_of(3, most_popular, model.popularity, exclude=seeds.keys()) for seeds in histories
    ]
    baseline = [
        best_of(3, sorted, entries, key=lambda entry: (-entry[1], entry[0]))
        for entries in neighbours
    ]
    base = statistics.median(baseline) * 1000
    for name, latencies, goal in (
        (
            f"for-you scoring ({seeds_per_customer} seeds x {model.stats['neighbours']} "
            "neighbours)",
            for_you,
            " (goal: p95 under 2 ms)",
        ),
        (f"most popular ({len(model.popularity):,} products, the seeds excluded)", popular, ""),
    ):
        p50, p95 = (np.percentile(latencies, [50, 95]) * 1000).tolist()
        print(
            f"{name} over {customers:,} customers, best of 3 per request: p50 {p50:.3f} ms, p95 {p95:.3f} ms, "
            f"vs {base:.4f} ms to sort one product's neighbour list -> p50 {p50 / base:.0f}x, "
            f"p95 {p95 / base:.0f}x{goal}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--seeds", type=int, default=20)
    arguments = parser.parse_args()

    interactions = synthetic_interactions(arguments.interactions, arguments.products)
    model = build(interactions)
    peak_memory(interactions, arguments.interactions, arguments.products)
    scoring(model, arguments.customers, arguments.seeds)


if __name__ == "__main__":
    main()
