"""The core app's settings: tracking, the visitor cookie, identifiers, consent and the
profile snapshot (affinities, RFM)."""

from omni_plugin.conf import (
    Setting,
    boolean,
    non_empty_str,
    positive_int,
    register_settings,
    str_list,
)


def _url_path_prefixes(value):
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        return f"must be a list of URL path prefixes, not {value!r}"
    wrong = [item for item in value if not isinstance(item, str) or not item.startswith("/")]
    if wrong:
        return f"must hold URL paths that start with '/', and {wrong[0]!r} does not"


def _identifier_limits(value):
    kinds = ("visitor", "user", "email", "phone", "loyalty", "pos")
    if not isinstance(value, dict):
        return f"must be a dict of identifier kind to maximum count, not {value!r}"
    unknown = sorted(set(value) - set(kinds))
    if unknown:
        return f"names {unknown[0]!r}, which is not one of {', '.join(kinds)}"
    wrong = [kind for kind, limit in value.items() if positive_int(limit)]
    if wrong:
        return f"gives {wrong[0]} the limit {value[wrong[0]]!r}; limits are positive whole numbers"


def _ascending_thresholds(value):
    if (
        not isinstance(value, (list, tuple))
        or len(value) != 4
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
        or list(value) != sorted(set(value))
    ):
        return f"must be four ascending numbers that split five scores, not {value!r}"


register_settings(
    {
        "UNTRACKED_PATHS": Setting(
            default=("/favicon.ico", "/robots.txt"),
            doc="URL path prefixes the plugin never tracks or personalises, besides "
            "STATIC_URL, MEDIA_URL and the admin sites, which are always left alone.",
            validate=_url_path_prefixes,
        ),
        "VISITOR_COOKIE_NAME": Setting(
            default="omni_vid",
            doc="Name of the signed first-party cookie that holds the visitor id.",
            validate=non_empty_str,
        ),
        "VISITOR_COOKIE_AGE": Setting(
            default=60 * 60 * 24 * 395,
            doc="Lifetime of the visitor cookie, in seconds (13 months, the usual legal limit).",
            validate=positive_int,
        ),
        "IDENTIFIER_LIMITS": Setting(
            default={"visitor": 50, "user": 1, "email": 5, "phone": 5, "loyalty": 3, "pos": 5},
            doc="How many identifiers of each kind one profile may hold. A new visitor id "
            "beyond the limit replaces the oldest; other kinds beyond it are refused.",
            validate=_identifier_limits,
        ),
        "BLOCKED_IDENTIFIERS": Setting(
            default=(),
            doc="Values never accepted as an identifier, on top of the built-in block list "
            "(null, 0, -1, anonymous, empty, ...).",
            validate=str_list,
        ),
        "PHONE_REGION": Setting(
            default="GB",
            doc="Region used to read phone numbers written without a country code.",
            validate=non_empty_str,
        ),
        "PERSONALISATION_BY_DEFAULT": Setting(
            default=False,
            doc="Whether profiles personalise before the visitor says yes or no: True where "
            "the shop relies on legitimate interest, False to wait for consent.",
            validate=boolean,
        ),
        "AFFINITY_HALF_LIFE_DAYS": Setting(
            default=30,
            doc="Category affinities halve after this many days without new interest.",
            validate=positive_int,
        ),
        "RFM_RECENCY_DAYS": Setting(
            default=(30, 90, 180, 365),
            doc="Days since the last order that split recency into scores 5 (recent) to 1.",
            validate=_ascending_thresholds,
        ),
        "RFM_FREQUENCY": Setting(
            default=(1, 2, 4, 8),
            doc="Order counts that split frequency into scores 1 to 5.",
            validate=_ascending_thresholds,
        ),
        "RFM_MONETARY": Setting(
            default=(50, 150, 500, 1500),
            doc="Lifetime spend that splits the monetary value into scores 1 to 5.",
            validate=_ascending_thresholds,
        ),
    }
)
