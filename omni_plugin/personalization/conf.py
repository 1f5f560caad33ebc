"""The personalization app's settings: how the recommendation model is built and used."""

from omni_plugin.conf import Setting, one_of, positive_int, register_settings


def _fraction(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        return f"must be a number from 0 to 1, not {value!r}"


register_settings(
    {
        "RECS_SIMILARITY": Setting(
            default="cosine",
            doc="How the recommendation model scores two products seen together: 'cosine', "
            "'jaccard' or 'lift'.",
            validate=one_of("cosine", "jaccard", "lift"),
        ),
        "RECS_NEIGHBOURS": Setting(
            default=50,
            doc="How many most similar products the recommendation model keeps per product.",
            validate=positive_int,
        ),
        "RECS_HALF_LIFE_DAYS": Setting(
            default=90,
            doc="An interaction counts half as much in the recommendation model after this "
            "many days.",
            validate=positive_int,
        ),
        "RECS_TRENDING_DAYS": Setting(
            default=7,
            doc="The window, in days, over which trending products are counted.",
            validate=positive_int,
        ),
        "RECS_REPEAT_RATE": Setting(
            default=0.2,
            doc="Share of a product's buyers who buy it again above which it counts as "
            "repeatable: offered again by 'buy again' instead of hidden once bought.",
            validate=_fraction,
        ),
        "RECS_SUPPRESS_CATEGORY_DAYS": Setting(
            default=14,
            doc="Days during which products of a category the customer just bought from are "
            "not recommended (repeatable products excepted).",
            validate=positive_int,
        ),
    }
)
