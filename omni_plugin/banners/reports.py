"""Banner figures over a period, per variant and per day, and the A/B test's verdict."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from scipy.stats import norm

from .models import HOLDOUT, Banner, BannerStat

PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30
#: An arm needs this many impressions before a difference can call a winner.
MIN_IMPRESSIONS = 100
SIGNIFICANCE = 0.05
COUNTS = ("impressions", "clicks", "orders", "revenue")


@dataclass
class Figures:
    impressions: int = 0
    clicks: int = 0
    orders: int = 0
    revenue: Decimal = Decimal("0")

    def add(self, row):
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(row, name))

    @property
    def ctr(self):
        """Clicks per impression."""
        return self.clicks / self.impressions if self.impressions else None

    @property
    def conversion(self):
        """Orders per impression: what the A/B test compares."""
        return self.orders / self.impressions if self.impressions else None

    @property
    def conversion_per_click(self):
        return self.orders / self.clicks if self.clicks else None


def period_days(days, today=None):
    """The ``days`` last days, today included, oldest first."""
    today = today or timezone.localdate()
    return [today - timedelta(days=back) for back in range(days - 1, -1, -1)]


def banner_totals(days):
    """Every banner with its figures over ``days``, busiest first."""
    in_period = Q(stats__day__range=(days[0], days[-1]))
    totals = {name: Sum(f"stats__{name}", filter=in_period) for name in COUNTS}
    banners = Banner.objects.annotate(**totals).order_by(
        F("impressions").desc(nulls_last=True), "name"
    )
    return [
        (banner, Figures(**{name: getattr(banner, name) or 0 for name in COUNTS}))
        for banner in banners
    ]


def two_proportion_p_value(successes_a, trials_a, successes_b, trials_b):
    """Two-sided p-value of the pooled two-proportion z-test (1.0 when nothing can differ)."""
    if not trials_a or not trials_b:
        return 1.0
    pooled = (successes_a + successes_b) / (trials_a + trials_b)
    if pooled in (0, 1):
        return 1.0
    error = (pooled * (1 - pooled) * (1 / trials_a + 1 / trials_b)) ** 0.5
    z = (successes_a / trials_a - successes_b / trials_b) / error
    return float(2 * norm.sf(abs(z)))


@dataclass
class VariantReport:
    key: str
    name: str
    fallback: bool = False
    figures: Figures = field(default_factory=Figures)
    daily: dict = field(default_factory=dict)


@dataclass
class Comparison:
    """One arm against another on one metric."""

    arm: VariantReport
    baseline: VariantReport
    rate: float
    baseline_rate: float
    p_value: float
    enough_data: bool

    @property
    def significant(self):
        return self.enough_data and self.p_value < SIGNIFICANCE

    @property
    def better(self):
        return self.significant and self.rate > self.baseline_rate

    @property
    def p_value_text(self):
        if self.p_value < 0.001:
            return "p < 0.001"
        return f"p = {self.p_value:.3f}"

    @property
    def lift(self):
        """How much better than the baseline, as a share of the baseline's rate."""
        if not self.baseline_rate:
            return None
        return (self.rate - self.baseline_rate) / self.baseline_rate


METRICS = {
    "ctr": (gettext_lazy("Click-through rate"), "clicks"),
    "conversion": (gettext_lazy("Conversion"), "orders"),
}


def compare(arm, baseline, metric):
    successes = METRICS[metric][1]
    a, b = arm.figures, baseline.figures
    return Comparison(
        arm=arm,
        baseline=baseline,
        rate=getattr(a, metric) or 0.0,
        baseline_rate=getattr(b, metric) or 0.0,
        p_value=two_proportion_p_value(
            getattr(a, successes), a.impressions, getattr(b, successes), b.impressions
        ),
        enough_data=min(a.impressions, b.impressions) >= MIN_IMPRESSIONS,
    )


@dataclass
class Verdict:
    """The A/B test on one metric: each arm against its baseline, and the winner if any."""

    metric: str
    label: str
    comparisons: list
    winner: VariantReport | None
    deciding: Comparison | None

    @property
    def message(self):
        if self.winner:
            return _("Winner: %(name)s (%(p)s)") % {
                "name": self.winner.name,
                "p": self.deciding.p_value_text,
            }
        if self.deciding is None:
            return _("No winner yet: the test needs two arms with impressions.")
        if not self.deciding.enough_data:
            return _("No winner yet: each arm needs at least %(n)d impressions (%(p)s).") % {
                "n": MIN_IMPRESSIONS,
                "p": self.deciding.p_value_text,
            }
        return _("No winner yet (%(p)s).") % {"p": self.deciding.p_value_text}


def judge(arms, holdout, metric):
    """Compare each arm with the holdout or, without one, with the best other arm.

    The leading arm wins when it beats its baseline with p < 0.05 and every arm compared
    has enough impressions; with a holdout it must also beat the runner-up arm.
    """
    label = METRICS[metric][0]

    def rate(arm):
        return getattr(arm.figures, metric) or 0.0

    def best_other(arm):
        others = [other for other in arms if other is not arm]
        return max(others, key=rate) if others else None

    comparisons = []
    for arm in arms:
        baseline = holdout or best_other(arm)
        if baseline is not None:
            comparisons.append(compare(arm, baseline, metric))
    if not comparisons:
        return Verdict(metric, label, [], None, None)
    leader = max(arms, key=rate)
    deciding = next(c for c in comparisons if c.arm is leader)
    needed = [deciding]
    if holdout is not None and best_other(leader) is not None:
        needed.append(compare(leader, best_other(leader), metric))
    winner = leader if all(c.better for c in needed) else None
    if winner is None:
        deciding = max(needed, key=lambda c: c.p_value)
    return Verdict(metric, label, comparisons, winner, deciding)


@dataclass
class BannerReport:
    banner: Banner
    days: list
    variants: list
    totals: Figures
    verdicts: list

    @property
    def holdout(self):
        return next((v for v in self.variants if v.key == HOLDOUT), None)


def banner_report(banner, days):
    """The banner's figures per variant and per day over ``days``, with the A/B verdicts."""
    variants = {
        child.id: VariantReport(child.id, child.value["name"], bool(child.value["fallback"]))
        for child in banner.variants
    }
    if banner.holdout_percent:
        variants[HOLDOUT] = VariantReport(HOLDOUT, _("Holdout (shown the fallback)"))
    totals = Figures()
    rows = BannerStat.objects.filter(banner=banner, day__range=(days[0], days[-1]))
    for row in rows:
        if row.variant not in variants:
            name = _("Holdout") if row.variant == HOLDOUT else _("Removed variant")
            variants[row.variant] = VariantReport(row.variant, name)
        variant = variants[row.variant]
        variant.figures.add(row)
        variant.daily.setdefault(row.day, Figures()).add(row)
        totals.add(row)
    verdicts = []
    if banner.choice == Banner.Choice.AB_TEST:
        arms = [v for v in variants.values() if v.key != HOLDOUT and not v.fallback]
        holdout = variants.get(HOLDOUT)
        verdicts = [judge(arms, holdout, metric) for metric in METRICS]
    return BannerReport(banner, days, list(variants.values()), totals, verdicts)
