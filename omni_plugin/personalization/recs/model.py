"""The item-to-item recommendation model: time-decayed co-occurrence on sparse matrices.

Pure numpy/scipy: the Django side reads the interactions from the database, stores the
model and serves it; everything here works on plain arrays and returns plain dicts.
"""

import time
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

KIND_WEIGHTS = {"product_viewed": 1.0, "basket_addition": 3.0, "order_placed": 5.0}
SIMILARITIES = ("ease", "cosine", "jaccard", "lift")
TRENDING_SIZE = 100
TRENDING_MIN_USERS = 2
SHRINKAGE = 20
#: EASE's L2 regularisation and how many of the most bought products it covers (its
#: ``products²`` dense matrices bound the build's memory: 4,000 products take about 400 MB).
#: The repeat rate is shrunk towards the catalogue's as if this many more buyers had bought
#: the product at the catalogue's rate: a product bought by two people, neither twice, is
#: not yet known never to be bought again.
REPEAT_PRIOR_BUYERS = 10
EASE_L2 = 200.0
EASE_PRODUCTS = 4000
# Upper bound on the co-occurrence entries computed at once; it bounds the build's memory.
BLOCK_ENTRIES = 4_000_000
DAY = 86400.0


@dataclass
class Interactions:
    """Parallel arrays, one entry per interaction (a view, a basket addition, a purchase)."""

    users: np.ndarray
    items: np.ndarray
    weights: np.ndarray
    times: np.ndarray
    baskets: np.ndarray
    places: np.ndarray

    def __post_init__(self):
        self.users = np.asarray(self.users, dtype=np.int64)
        self.items = np.asarray(self.items, dtype=np.int64)
        self.weights = np.asarray(self.weights, dtype=np.float32)
        self.times = np.asarray(self.times, dtype=np.float64)
        self.baskets = np.asarray(self.baskets, dtype=np.int64)
        self.places = np.asarray(self.places, dtype=object)
        lengths = {len(getattr(self, name)) for name in self.__dataclass_fields__}
        if len(lengths) > 1:
            raise ValueError("Interactions arrays must all have the same length.")

    def __len__(self):
        return len(self.users)

    def subset(self, mask) -> "Interactions":
        return Interactions(*(getattr(self, name)[mask] for name in self.__dataclass_fields__))

    def before(self, moment: float) -> "Interactions":
        """Those that happened before ``moment`` (unix seconds)."""
        return self.subset(self.times < moment)

    @classmethod
    def from_rows(cls, rows) -> "Interactions":
        """From (user, item, weight, time, basket, place) tuples."""
        columns = list(zip(*rows, strict=True)) or [()] * 6
        users, items, weights, times, baskets, places = columns
        return cls(users, items, weights, times, baskets, [place or "" for place in places])


@dataclass
class ItemModel:
    related: dict[int, list[tuple[int, float]]] = field(default_factory=dict)
    bought_with: dict[int, list[tuple[int, float]]] = field(default_factory=dict)
    popularity: dict[int, float] = field(default_factory=dict)
    repeat_rate: dict[int, float] = field(default_factory=dict)
    trending: dict[str, list[int]] = field(default_factory=lambda: {"": []})
    stats: dict = field(default_factory=dict)


def build_model(
    interactions,
    *,
    similarity="cosine",
    half_life_days=90,
    neighbours=50,
    trending_days=7,
    now=None,
    progress=None,
    ease_l2=EASE_L2,
    ease_products=EASE_PRODUCTS,
) -> ItemModel:
    """Build every table of the model from ``interactions``.

    Each interaction counts ``weight * 0.5 ** (age_days / half_life_days)``, its age taken
    from ``now`` (default: the newest interaction); interactions of no positive weight are
    ignored. ``related`` compares products over the users' whole histories, ``bought_with``
    over the baskets (purchases only): ``similarity`` of their decayed co-occurrences,
    shrunk towards 0 for pairs seen together by few users or baskets (see ``SHRINKAGE``).
    Both keep the ``neighbours`` most similar products of each product, best first.
    ``similarity="ease"`` makes ``related`` the item weights of EASE (Steck, "Embarrassingly
    Shallow Autoencoders", 2019) over the ``ease_products`` products most customers
    interacted with; the other products keep cosine neighbours.
    ``progress`` is an optional ``progress(iterable, total=..., desc=...)`` (tqdm's
    signature) wrapped around the long loops.
    """
    if similarity not in SIMILARITIES:
        raise ValueError(
            f"Unknown similarity {similarity!r}: choose one of {', '.join(SIMILARITIES)}."
        )
    if neighbours < 1 or half_life_days <= 0 or trending_days <= 0:
        raise ValueError("neighbours, half_life_days and trending_days must be positive.")
    started = time.perf_counter()
    progress = progress or _no_progress
    stats = {"interactions": len(interactions), "similarity": similarity, "neighbours": neighbours}
    interactions = _with_positive_weights(interactions)
    if not len(interactions):
        return ItemModel(stats={**stats, "users": 0, "products": 0, "seconds": 0.0})

    now = float(interactions.times.max() if now is None else now)
    ages = np.maximum(now - interactions.times, 0.0) / DAY
    # The floor keeps very old interactions above 0, so that no co-occurrence underflows.
    decayed = np.maximum(interactions.weights * 0.5 ** (ages / half_life_days), 1e-100)
    product_ids, products = np.unique(interactions.items, return_inverse=True)
    user_ids, users = np.unique(interactions.users, return_inverse=True)

    by_user = _occurrences(users, products, decayed, len(product_ids))
    related = _neighbours(
        by_user,
        product_ids,
        "cosine" if similarity == "ease" else similarity,
        neighbours,
        progress,
        "related products",
    )
    if similarity == "ease":
        related.update(
            ease_neighbours(by_user, product_ids, neighbours, l2=ease_l2, size=ease_products)
        )
    purchased = interactions.baskets >= 0
    basket_similarity = "cosine" if similarity == "ease" else similarity
    _, baskets = np.unique(interactions.baskets[purchased], return_inverse=True)
    by_basket = _occurrences(baskets, products[purchased], decayed[purchased], len(product_ids))
    bought_with = _neighbours(
        by_basket, product_ids, basket_similarity, neighbours, progress, "bought together"
    )
    return ItemModel(
        related=related,
        bought_with=bought_with,
        popularity=_popularity(products, decayed, product_ids),
        repeat_rate=_repeat_rates(users[purchased], products[purchased], baskets, product_ids),
        trending=_trending(interactions, products, product_ids, now, trending_days),
        stats={
            **stats,
            "users": len(user_ids),
            "products": len(product_ids),
            "seconds": round(time.perf_counter() - started, 3),
        },
    )


def ease_neighbours(matrix, product_ids, neighbours, *, l2=EASE_L2, size=EASE_PRODUCTS):
    """EASE's item weights ``B`` on the users × products ``matrix``, kept as neighbours.

    The matrix is made binary (a customer interacted with a product or not): EASE fits
    ``X ≈ X B`` with ``diag(B) = 0``, whose closed form is ``B = I − P / diag(P)`` with
    ``P = (XᵀX + l2·I)⁻¹``. Only the ``size`` products most customers interacted with take
    part. Each keeps its ``neighbours`` largest positive weights, best first: a customer's
    score for ``j`` is then ``Σ_i x_i B[i, j]``, what ``scoring.from_neighbours`` sums.
    """
    if l2 <= 0 or size < 1:
        raise ValueError("The EASE regularisation and its number of products must be positive.")
    binary = matrix.tocsc(copy=True)
    binary.data[:] = 1.0
    buyers = np.diff(binary.indptr)
    active = np.sort(np.lexsort((np.arange(len(buyers)), -buyers))[:size])
    active = active[buyers[active] > 0]
    if len(active) < 2:
        return {}
    columns = binary[:, active]
    gram = (columns.T @ columns).toarray()
    gram[np.diag_indices_from(gram)] += l2
    # In place: three products × products matrices at once would triple the peak memory.
    weights = np.linalg.inv(gram)
    del gram
    weights /= -np.diag(weights)[np.newaxis, :]
    np.fill_diagonal(weights, 0.0)
    rows, cols = np.nonzero(weights > 0)
    rows, cols, scores = _top_per_row(rows, cols, weights[rows, cols], neighbours)
    if not len(rows):
        return {}
    owners = product_ids[active[rows]].tolist()
    neighbour_ids = product_ids[active[cols]].tolist()
    scores = scores.tolist()
    related = {}
    for owner, neighbour, score in zip(owners, neighbour_ids, scores, strict=True):
        related.setdefault(owner, []).append((neighbour, score))
    return related


def _with_positive_weights(interactions):
    kept = interactions.weights > 0
    if kept.all():
        return interactions
    return interactions.subset(kept)


def _no_progress(iterable, total=None, desc=None):
    return iterable


def _occurrences(rows, products, values, product_count):
    """The rows × products matrix of summed decayed weights (rows: users or baskets)."""
    row_count = int(rows.max()) + 1 if len(rows) else 0
    matrix = sparse.csr_matrix(
        (values.astype(np.float64), (rows, products)), shape=(row_count, product_count)
    )
    matrix.sum_duplicates()
    return matrix


def _neighbours(matrix, product_ids, similarity, size, progress, desc):
    """Top-``size`` similar products of each product, from the co-occurrences XᵀX."""
    by_product = matrix.T.tocsr()
    ones, ones_by_product = matrix.copy(), by_product.copy()
    ones.data[:], ones_by_product.data[:] = 1.0, 1.0
    squares = np.asarray(matrix.multiply(matrix).sum(axis=0)).ravel()
    totals = np.asarray(matrix.sum(axis=0)).ravel()
    row_count = matrix.shape[0]
    blocks = _blocks(ones, ones_by_product)
    kept_rows, kept_columns, kept_scores = [], [], []
    for first, last in progress(blocks, total=len(blocks), desc=desc):
        together = by_product[first:last] @ matrix
        # How many users (baskets) hold both: the same sparsity pattern, as no weight is 0.
        support = ones_by_product[first:last] @ ones
        together.sort_indices()
        support.sort_indices()
        rows = np.repeat(np.arange(first, last), np.diff(together.indptr))
        columns = together.indices
        if similarity == "cosine":
            scores = together.data / np.sqrt(squares[rows] * squares[columns])
        elif similarity == "jaccard":
            # Tanimoto: Jaccard's index generalised to weights; equal to it on 0/1 data.
            scores = together.data / (squares[rows] + squares[columns] - together.data)
        else:
            # Observed over expected co-occurrence if the two products were independent.
            scores = together.data * row_count / (totals[rows] * totals[columns])
        # Shrinkage: a pair seen together by few users is mostly chance, so its similarity is
        # scaled by support / (support + SHRINKAGE).
        scores *= support.data / (support.data + SHRINKAGE)
        useful = rows != columns
        rows, columns, scores = _top_per_row(rows[useful], columns[useful], scores[useful], size)
        kept_rows.append(rows)
        kept_columns.append(columns)
        kept_scores.append(scores)
    rows = np.concatenate(kept_rows)
    if not len(rows):
        return {}
    neighbour_ids = product_ids[np.concatenate(kept_columns)].tolist()
    scores = np.concatenate(kept_scores).tolist()
    bounds = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1], True]).tolist()
    owners = product_ids[rows].tolist()
    return {
        owners[start]: list(zip(neighbour_ids[start:end], scores[start:end], strict=True))
        for start, end in zip(bounds[:-1], bounds[1:], strict=True)
    }


def _top_per_row(rows, columns, scores, size):
    """The ``size`` best entries of each row (``rows`` grouped), best first; equal scores by
    column, i.e. by product id."""
    if not len(rows):
        return rows, columns, scores
    bounds = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1], True])
    lengths = np.diff(bounds)
    # Partitioning the long rows first leaves only about ``size`` entries per row to sort.
    floors = np.full(len(lengths), -np.inf)
    for row in np.flatnonzero(lengths > size).tolist():
        segment = scores[bounds[row] : bounds[row + 1]]
        floors[row] = np.partition(segment, len(segment) - size)[len(segment) - size]
    candidates = scores >= np.repeat(floors, lengths)
    rows, columns, scores = rows[candidates], columns[candidates], scores[candidates]
    order = np.lexsort((columns, -scores, rows))
    rows, columns, scores = rows[order], columns[order], scores[order]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    ranks = np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    top = ranks < size
    return rows[top], columns[top], scores[top]


def _blocks(ones, ones_by_product):
    """Ranges of products whose co-occurrence rows together hold at most about
    ``BLOCK_ENTRIES`` entries, so that memory stays bounded whatever the skew."""
    row_lengths = np.diff(ones.indptr).astype(np.float64)
    # An upper bound on each product's row of XᵀX: the lengths of its users' histories.
    work = ones_by_product @ row_lengths
    cumulative = np.cumsum(work)
    blocks, first = [], 0
    while first < len(work):
        budget = (cumulative[first - 1] if first else 0.0) + BLOCK_ENTRIES
        last = max(int(np.searchsorted(cumulative, budget, side="right")), first + 1)
        blocks.append((first, last))
        first = last
    return blocks


def _popularity(products, decayed, product_ids):
    """Decayed weight per product, the most popular = 1.0; ordered most popular first."""
    totals = np.bincount(products, weights=decayed, minlength=len(product_ids))
    top = totals.max()
    if top <= 0:
        return {}
    order = np.lexsort((product_ids, -totals))
    order = order[totals[order] > 0]
    return dict(zip(product_ids[order].tolist(), (totals[order] / top).tolist(), strict=True))


def _repeat_rates(users, products, baskets, product_ids):
    """Per purchased product: the share of its buyers who bought it in two baskets or more,
    shrunk towards the share over all products (see ``REPEAT_PRIOR_BUYERS``)."""
    if not len(users):
        return {}
    purchases = np.unique(np.stack([products, users, baskets]), axis=1)
    buyers, basket_counts = np.unique(purchases[:2], axis=1, return_counts=True)
    bought = np.bincount(buyers[0], minlength=len(product_ids))
    repeated = np.bincount(buyers[0], weights=basket_counts >= 2, minlength=len(product_ids))
    sold = np.flatnonzero(bought)
    prior = repeated.sum() / bought.sum()
    rates = (repeated[sold] + REPEAT_PRIOR_BUYERS * prior) / (bought[sold] + REPEAT_PRIOR_BUYERS)
    return dict(zip(product_ids[sold].tolist(), rates.tolist(), strict=True))


def _trending(interactions, products, product_ids, now, days):
    """Product ids most trending first, overall ("") and per country and country/region.

    Counts the interactions of the last ``days`` days, weighted and decayed with a
    half-life of half that window so the latest days weigh most. A product needs
    ``TRENDING_MIN_USERS`` distinct users in a scope to trend there, so that a single
    busy customer cannot make it trend; each scope keeps ``TRENDING_SIZE`` products, and a
    scope where nothing trends is left out (the overall one is always there).
    """
    recent = interactions.times >= now - days * DAY
    ages = np.maximum(now - interactions.times[recent], 0.0) / DAY
    scores = interactions.weights[recent] * 0.5 ** (ages / (days / 2))
    users, products = interactions.users[recent], products[recent]
    place_names, places = np.unique(interactions.places[recent].astype(str), return_inverse=True)
    scopes = {"": np.ones(len(products), dtype=bool)}
    for index, place in enumerate(place_names.tolist()):
        if not place:
            continue
        here = places == index
        country = place.split("/")[0]
        scopes[country] = scopes.get(country, False) | here
        if country != place:
            scopes[place] = here
    trending = {
        scope: _top_trending(users[mask], products[mask], scores[mask], product_ids)
        for scope, mask in scopes.items()
    }
    return {scope: top for scope, top in trending.items() if top or not scope}


def _top_trending(users, products, scores, product_ids):
    totals = np.bincount(products, weights=scores, minlength=len(product_ids))
    pairs = np.unique(np.stack([products, users]), axis=1)
    user_counts = np.bincount(pairs[0], minlength=len(product_ids))
    candidates = np.flatnonzero(user_counts >= TRENDING_MIN_USERS)
    order = np.lexsort((product_ids[candidates], -totals[candidates]))
    return product_ids[candidates[order[:TRENDING_SIZE]]].tolist()
