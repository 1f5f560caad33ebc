"""The recommendation strategies, each a chain of steps tried in turn.

A step proposes scored candidates with a reason. When the first step has too little to
offer (a new visitor, a product nobody bought yet), the next ones fill the list up, and
each recommendation's reason and ``strategy`` say which step found it.
"""

from datetime import datetime
from functools import partial
from typing import NamedTuple

from oscar.core.loading import get_model

from omni_plugin.conf import omni_settings

from . import filters, scoring, store
from .explanations import Reason, category_name, country_name, explain
from .products import read_products

ProductRecommendation = get_model("catalogue", "ProductRecommendation")

#: Candidates asked of each step per recommendation wanted, as filters drop some.
OVERFETCH = 3
#: The strongest products of a customer's history that "for you" starts from.
MAX_SEEDS = 20


class Candidate(NamedTuple):
    product_id: int
    score: float
    reason: Reason


class Recommendation(NamedTuple):
    """A product to show, its score within its step, why (text), and the step's name."""

    product: object
    score: float
    reason: str
    strategy: str


class Step:
    """One way of finding candidates; ``candidates`` never returns ids of ``exclude``."""

    name = ""
    #: Whether past purchases may be offered (and their categories are not suppressed).
    offers_purchased = False

    def candidates(self, shopper, model, exclude, size):
        raise NotImplementedError


def _ranked(product_ids, exclude, size, reason):
    """Candidates from an ordered list, scored 1, 1/2, 1/3, ... by rank."""
    kept = [pid for pid in dict.fromkeys(product_ids) if pid not in exclude][:size]
    return [Candidate(pid, 1 / rank, reason) for rank, pid in enumerate(kept, start=1)]


def _focus(shopper, model):
    focus = shopper.focus
    return None if focus is None else model.canonical(getattr(focus, "pk", focus))


class RecentlyViewed(Step):
    name = "recently_viewed"

    def candidates(self, shopper, model, exclude, size):
        recent = [model.canonical(pid) for pid in shopper.snapshot.get("recent_products", [])]
        return _ranked(recent, exclude, size, Reason("recently_viewed"))


class Similar(Step):
    """Products seen with this one by the same customers that share one of its categories."""

    name = "similar"

    def candidates(self, shopper, model, exclude, size):
        focus = _focus(shopper, model)
        if focus is None:
            return []
        similar = store.similar_products(model, focus, shopper.focus_category_ids)
        return [
            Candidate(pid, score, Reason("similar", focus))
            for pid, score in similar
            if pid not in exclude
        ][:size]


class PopularInCategory(Step):
    name = "popular_in_category"

    def candidates(self, shopper, model, exclude, size):
        focus = _focus(shopper, model)
        if focus is None:
            return []
        found = []
        for category_id in shopper.focus_category_ids:
            name = shopper.memo(
                f"{__name__}:category-name:{category_id}", partial(category_name, category_id)
            )
            reason = Reason("popular_in", place=name)
            found += [
                Candidate(pid, score, reason)
                for pid, score in store.popular(model, category_id)
                if pid not in exclude
            ]
        found.sort(key=lambda candidate: (-candidate.score, candidate.product_id))
        return found[:size]


class Popular(Step):
    name = "popular"

    def candidates(self, shopper, model, exclude, size):
        popularity = dict(store.popular(model))
        return [
            Candidate(pid, score, Reason("popular"))
            for pid, score, _ in scoring.most_popular(popularity, exclude=exclude, limit=size)
        ]


class BoughtTogether(Step):
    """What customers bought with this product, or with the basket's products."""

    name = "bought_together"

    def candidates(self, shopper, model, exclude, size):
        if shopper.product is not None:
            seeds, kind = [model.canonical(shopper.product.pk)], "also_bought"
        else:
            seeds, kind = (
                [model.canonical(pid) for pid in shopper.basket_product_ids],
                "bought_with",
            )
        rows = store.product_rows(model, seeds)
        scored = scoring.from_neighbours(
            dict.fromkeys(seeds, 1.0),
            {seed: row.bought_with for seed, row in rows.items()},
            exclude=exclude,
            limit=size,
        )
        return [Candidate(pid, score, Reason(kind, because)) for pid, score, because in scored]


def _times_bought(shopper, model):
    """Product id -> how many orders of the customer held it."""
    times = {}
    for pid, bought in shopper.snapshot.get("purchased", {}).items():
        product_id = model.canonical(int(pid))
        times[product_id] = times.get(product_id, 0) + bought["n"]
    return times


class ForYou(Step):
    """The customer's time-decayed interest in each product times the products' weights.

    A product they bought counts as its own neighbour, with its repeat rate (times
    ``RECS_REPEAT_WEIGHT`` and the log of how often they bought it) as weight, so that
    what they buy again comes back among the new products (see ``scoring.repeat_scores``).
    """

    name = "for_you"

    def candidates(self, shopper, model, exclude, size):
        history = [(model.canonical(pid), weight, at) for pid, weight, at in shopper.history()]
        seeds = scoring.history_seeds(
            history,
            now=shopper.now.timestamp(),
            half_life_days=omni_settings.RECS_HALF_LIFE_DAYS,
            strongest=True,
        )
        seeds = scoring.strongest_seeds(seeds, MAX_SEEDS)
        rows = store.product_rows(model, list(seeds))
        bought = filters.purchased_ids(shopper, model)
        again = scoring.repeat_scores(
            {pid: times for pid, times in _times_bought(shopper, model).items() if pid in rows},
            {pid: row.repeat_rate for pid, row in rows.items()},
            threshold=omni_settings.RECS_REPEAT_RATE,
            weight=omni_settings.RECS_REPEAT_WEIGHT,
        )
        scored = scoring.from_neighbours(
            seeds,
            {seed: row.related for seed, row in rows.items()},
            again=again,
            exclude=exclude,
            limit=size,
        )
        return [
            Candidate(pid, score, self._reason(pid, because, bought))
            for pid, score, because in scored
        ]

    @staticmethod
    def _reason(product_id, because, bought):
        if product_id == because:
            return Reason("buy_again")
        return Reason("bought" if because in bought else "viewed", because)


class Trending(Step):
    """Trending where the customer is: ``level`` is "region", "country" or "" (everywhere)."""

    def __init__(self, level):
        self.level = level
        self.name = f"trending_in_{level}" if level else "trending"

    def candidates(self, shopper, model, exclude, size):
        place = self._place(shopper)
        if place is None:
            return []
        scope, reason = place
        return _ranked(model.trending.get(scope, []), exclude, size, reason)

    def _place(self, shopper):
        """The trending list's scope and the reason naming it; None where unknown."""
        if self.level == "region":
            if shopper.country and shopper.region:
                scope = f"{shopper.country}/{shopper.region}"
                return scope, Reason("popular_in", place=shopper.region)
            return None
        if self.level == "country":
            if shopper.country:
                return shopper.country, Reason("popular_in", place=country_name(shopper.country))
            return None
        return "", Reason("trending")


class BuyAgain(Step):
    """What the customer bought before and people tend to buy again."""

    name = "buy_again"
    offers_purchased = True

    def candidates(self, shopper, model, exclude, size):
        purchased = {}
        for pid, bought in shopper.snapshot.get("purchased", {}).items():
            product_id = model.canonical(int(pid))
            times, last = purchased.get(product_id, (0, 0.0))
            at = datetime.fromisoformat(bought["at"]).timestamp()
            purchased[product_id] = (times + bought["n"], max(last, at))
        purchased = {pid: bought for pid, bought in purchased.items() if pid not in exclude}
        rows = store.product_rows(model, list(purchased))
        scored = scoring.buy_again(
            purchased,
            {pid: row.repeat_rate for pid, row in rows.items()},
            threshold=omni_settings.RECS_REPEAT_RATE,
            limit=size,
        )
        return [Candidate(pid, score, Reason("buy_again")) for pid, score, _ in scored]


class Manual(Step):
    """The shop's own choice: Oscar's ``recommended_products`` of the product, by ranking."""

    name = "manual"

    def candidates(self, shopper, model, exclude, size):
        if shopper.product is None:
            return []
        chosen = ProductRecommendation.objects.filter(primary_id=shopper.product.pk).values_list(
            "recommendation_id", flat=True
        )
        return _ranked(chosen, exclude, size, Reason("manual", shopper.product.pk))


STRATEGIES = {
    "recently_viewed": (RecentlyViewed(),),
    "similar": (Similar(), PopularInCategory(), Popular()),
    "bought_together": (BoughtTogether(), Similar(), PopularInCategory(), Popular()),
    "for_you": (ForYou(), Trending("country"), Popular()),
    "buy_again": (BuyAgain(),),
    "trending": (Trending("region"), Trending("country"), Trending(""), Popular()),
    "manual": (Manual(),),
}


def recommend_with(name, shopper, limit):
    """Up to ``limit`` recommendations of strategy ``name`` for ``shopper``.

    The steps run in turn until they have proposed enough candidates; then all are
    fetched in one go and filtered, and the list keeps the steps' order.
    """
    steps = STRATEGIES[name]
    offers_purchased = steps[0].offers_purchased
    model = shopper.memo(f"{__name__}:model", store.served_model)
    exclude = filters.excluded(shopper, model, offers_purchased=offers_purchased)
    size = limit * OVERFETCH
    proposed = []
    for step in steps:
        candidates = step.candidates(shopper, model, exclude, size)
        proposed.append((step, candidates))
        if len({c.product_id for _, found in proposed for c in found}) >= size:
            break
    candidate_ids = {c.product_id for _, found in proposed for c in found}
    named_ids = {c.reason.product_id for _, found in proposed for c in found}
    kept = read_products(candidate_ids | (named_ids - {None}))
    products = {pid: entry.product for pid, entry in kept.items()}
    candidates_found = {pid: products[pid] for pid in candidate_ids if pid in products}
    may_show = filters.may_show(candidates_found, shopper, model, offers_purchased=offers_purchased)
    recommendations, shown = [], set()
    for step, candidates in proposed:
        for candidate in candidates:
            pid = candidate.product_id
            if len(recommendations) == limit:
                return recommendations
            if pid in shown or pid not in candidates_found or not may_show(pid):
                continue
            shown.add(pid)
            recommendations.append(
                Recommendation(
                    kept[pid].own_copy(),
                    candidate.score,
                    explain(candidate.reason, products),
                    step.name,
                )
            )
    return recommendations
