"""The personalization app's settings: how the recommendation model is built and used."""

from omni_plugin.conf import Setting, boolean, one_of, positive_int, register_settings


def _fraction(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        return f"must be a number from 0 to 1, not {value!r}"


def _positive_number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        return f"must be a positive number, not {value!r}"


def _non_negative_number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        return f"must be a number of 0 or more, not {value!r}"


register_settings(
    {
        "RECS_SIMILARITY": Setting(
            default="ease",
            doc="How the recommendation model relates products: 'ease' (a closed-form item "
            "model over the most bought products), or the similarity of two products seen "
            "together: 'cosine', 'jaccard' or 'lift'.",
            validate=one_of("ease", "cosine", "jaccard", "lift"),
        ),
        "RECS_EASE_L2": Setting(
            default=200.0,
            doc="The 'ease' model's L2 regularisation: larger values trust rare pairs less.",
            validate=_positive_number,
        ),
        "RECS_EASE_PRODUCTS": Setting(
            default=4000,
            doc="How many of the most bought products the 'ease' model covers (the others "
            "keep cosine neighbours); its memory grows with the square of this number.",
            validate=positive_int,
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
            default=0.0,
            doc="Share of a product's buyers who buy it again (shrunk towards the "
            "catalogue's) from which it counts as repeatable: offered again by 'buy again' "
            "and 'for you' instead of hidden once bought. 0 lets any bought product come "
            "back, ranked by its repeat rate.",
            validate=_fraction,
        ),
        "RECS_REPEAT_WEIGHT": Setting(
            default=1.0,
            doc="How much a bought product's own repeat score counts in 'for you' next to "
            "the scores of new products; 0 offers new products only.",
            validate=_non_negative_number,
        ),
        "RECS_CARD_CACHE": Setting(
            default=True,
            doc="Keep the product cards of recommendation strips rendered, per product "
            "version, language and Oscar strategy. Turn it off when your card template "
            "shows something about the visitor other than the CSRF token.",
            validate=boolean,
        ),
        "RECS_SUPPRESS_CATEGORY_DAYS": Setting(
            default=14,
            doc="Days during which products of a category the customer just bought from are "
            "not recommended (repeatable products excepted).",
            validate=positive_int,
        ),
    }
)
