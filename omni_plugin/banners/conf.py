"""The banners app's settings: attribution, caps, slot rendering and the edge cache."""

from omni_plugin.conf import (
    Setting,
    non_empty_str,
    one_of,
    positive_int,
    register_settings,
    str_list,
)


def _http_urls(value):
    if problem := str_list(value):
        return problem
    wrong = [url for url in value if not url.startswith(("http://", "https://"))]
    if wrong:
        return f"must hold http:// or https:// URLs, and {wrong[0]!r} is not one"


register_settings(
    {
        "BANNER_ATTRIBUTION_DAYS": Setting(
            default=7,
            doc="An order counts for the banner the customer last clicked within this many days.",
            validate=positive_int,
        ),
        "BANNER_VARIANTS_WARNING": Setting(
            default=24,
            doc="How many different renderings of a slot the editor may create before the "
            "admin warns that the slot can no longer be cached well.",
            validate=positive_int,
        ),
        "BANNER_CAP_COOKIE_NAME": Setting(
            default="omni_bc",
            doc="Name of the signed cookie that counts a visitor's banner views for frequency "
            "caps.",
            validate=non_empty_str,
        ),
        "SLOT_RENDER_MODE": Setting(
            default="inline",
            doc="How slots reach the page: 'inline' (rendered into it), 'esi' (an ESI include "
            "the edge fills from a cached fragment) or 'js' (a placeholder a script fills). "
            "A slot can choose its own.",
            validate=one_of("inline", "esi", "js"),
        ),
        "VARIANT_KEY_COOKIE_NAME": Setting(
            default="omni_vk",
            doc="Name of the signed cookie that holds the variant key the edge caches "
            "fragments by (segment ids, country, device class). Readable by scripts.",
            validate=non_empty_str,
        ),
        "FRAGMENT_EDGE_TTL": Setting(
            default=60 * 60,
            doc="Seconds the edge keeps a fragment (Surrogate-Control); publishing purges "
            "it sooner, and schedules and local-time targeting shorten it.",
            validate=positive_int,
        ),
        "FRAGMENT_BROWSER_TTL": Setting(
            default=60,
            doc="Seconds a browser keeps a fragment it fetched in 'js' mode (Cache-Control).",
            validate=positive_int,
        ),
        "EDGE_AB_BUCKETS": Setting(
            default=10,
            doc="While an A/B test is live, visitors fall in this many buckets, and the "
            "variant key holds theirs: more buckets follow weights more finely and make "
            "more fragments.",
            validate=positive_int,
        ),
        "EDGE_PURGE_URLS": Setting(
            default=(),
            doc="Base URLs of the Varnish servers to send a BAN to when a banner or slot "
            "changes, such as 'http://127.0.0.1:6081'.",
            validate=_http_urls,
        ),
    }
)
