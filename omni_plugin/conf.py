"""The plugin's settings: one object, documented defaults, validated by system checks.

Each setting is read from the Django setting ``OMNI_<NAME>``; when the project does
not set it, the default below applies. Read them through ``omni_settings``::

    from omni_plugin.conf import omni_settings

    if omni_settings.ENABLED:
        ...

``docs/settings.md`` documents every entry of ``SETTINGS``; a test keeps the two in step.
"""

import ipaddress
import os
import re
from dataclasses import dataclass
from typing import Any, Callable

from django.conf import settings as django_settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

PREFIX = "OMNI_"
RATE = re.compile(r"^[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)$")


def _bool(value):
    if not isinstance(value, bool):
        return f"must be True or False, not {value!r}"


def _str(value):
    if not isinstance(value, str):
        return f"must be a string, not {value!r}"


def _non_empty_str(value):
    if not isinstance(value, str) or not value:
        return f"must be a non-empty string, not {value!r}"


def _url_path_prefixes(value):
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        return f"must be a list of URL path prefixes, not {value!r}"
    wrong = [item for item in value if not isinstance(item, str) or not item.startswith("/")]
    if wrong:
        return f"must hold URL paths that start with '/', and {wrong[0]!r} does not"


def _positive_int(value):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return f"must be a positive whole number, not {value!r}"


def _str_list(value):
    if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
        return f"must be a list of strings, not {value!r}"
    if not all(isinstance(item, str) for item in value):
        return f"must hold only strings, not {value!r}"


def _http_urls(value):
    if problem := _str_list(value):
        return problem
    wrong = [url for url in value if not url.startswith(("http://", "https://"))]
    if wrong:
        return f"must hold http:// or https:// URLs, and {wrong[0]!r} is not one"


def _identifier_limits(value):
    kinds = ("visitor", "user", "email", "phone", "loyalty", "pos")
    if not isinstance(value, dict):
        return f"must be a dict of identifier kind to maximum count, not {value!r}"
    unknown = sorted(set(value) - set(kinds))
    if unknown:
        return f"names {unknown[0]!r}, which is not one of {', '.join(kinds)}"
    wrong = [kind for kind, limit in value.items() if _positive_int(limit)]
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


def _optional_path(value):
    if value is not None and (not isinstance(value, (str, os.PathLike)) or not str(value)):
        return f"must be None or the path of a file, not {value!r}"


def _networks(value):
    if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
        return f"must be a list of networks such as '10.0.0.0/8', not {value!r}"
    for item in value:
        try:
            ipaddress.ip_network(item)
        except (TypeError, ValueError):
            return (
                f"holds {item!r}, which is not a network: write it as an address with its "
                "prefix length, such as '10.0.0.0/8' or '2001:db8::/32'"
            )


def _optional_ip_address(value):
    if value is None:
        return None
    try:
        ipaddress.ip_address(value)
    except (TypeError, ValueError):
        return f"must be None or an IP address such as '81.2.69.160', not {value!r}"


def _one_of(*choices):
    def validate(value):
        if value not in choices:
            return f"must be one of {', '.join(map(repr, choices))}, not {value!r}"

    return validate


def _rate(value):
    if not isinstance(value, str) or not RATE.match(value):
        return f"must be a rate such as '600/min' (per 's', 'min', 'hour' or 'day'), not {value!r}"


def _fraction(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        return f"must be a number from 0 to 1, not {value!r}"


def _message_caps(value):
    problem = "must map an intent or 'marketing'/'service' to (count, seconds) pairs"
    if not isinstance(value, dict):
        return f"{problem}, not {value!r}"
    for scope, limits in value.items():
        if not isinstance(scope, str) or not isinstance(limits, (list, tuple)):
            return f"{problem}, not {value!r}"
        for limit in limits:
            if (
                not isinstance(limit, (list, tuple))
                or len(limit) != 2
                or any(isinstance(n, bool) or not isinstance(n, int) or n < 1 for n in limit)
            ):
                return f"{problem} of positive whole numbers; {scope!r} has {limit!r}"


def _quiet_hours(value):
    if value is None:
        return None
    if (
        not isinstance(value, (list, tuple))
        or len(value) != 2
        or any(isinstance(h, bool) or not isinstance(h, int) or not 0 <= h <= 23 for h in value)
    ):
        return f"must be None or (start, end) hours from 0 to 23, such as (21, 9), not {value!r}"


def _task_queues(value):
    if not isinstance(value, dict):
        return f"must map task paths or their module prefixes to queue names, not {value!r}"
    wrong = [
        path
        for path, queue in value.items()
        if not isinstance(path, str) or not path or not isinstance(queue, str) or not queue
    ]
    if wrong:
        return f"maps {wrong[0]!r} to {value[wrong[0]]!r}; both must be non-empty strings"


def _dotted_path(value):
    if not isinstance(value, str) or "." not in value:
        return f"must be the dotted path of a class, not {value!r}"
    try:
        import_string(value)
    except ImportError as error:
        return f"cannot be imported: {error}"


@dataclass(frozen=True)
class Setting:
    default: Any
    doc: str
    validate: Callable[[Any], str | None]


SETTINGS = {
    "ENABLED": Setting(
        default=True,
        doc="Master switch. False turns the middleware into a pass-through and stops "
        "all tracking, personalisation and messaging; the shop keeps working.",
        validate=_bool,
    ),
    "CACHE_ALIAS": Setting(
        default="default",
        doc="The entry of CACHES that holds profiles, compiled segments and fragments.",
        validate=_non_empty_str,
    ),
    "UNTRACKED_PATHS": Setting(
        default=("/favicon.ico", "/robots.txt"),
        doc="URL path prefixes the plugin never tracks or personalises, besides "
        "STATIC_URL, MEDIA_URL and the admin sites, which are always left alone.",
        validate=_url_path_prefixes,
    ),
    "VISITOR_COOKIE_NAME": Setting(
        default="omni_vid",
        doc="Name of the signed first-party cookie that holds the visitor id.",
        validate=_non_empty_str,
    ),
    "VISITOR_COOKIE_AGE": Setting(
        default=60 * 60 * 24 * 395,
        doc="Lifetime of the visitor cookie, in seconds (13 months, the usual legal limit).",
        validate=_positive_int,
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
        validate=_str_list,
    ),
    "PHONE_REGION": Setting(
        default="GB",
        doc="Region used to read phone numbers written without a country code.",
        validate=_non_empty_str,
    ),
    "PERSONALISATION_BY_DEFAULT": Setting(
        default=False,
        doc="Whether profiles personalise before the visitor says yes or no: True where "
        "the shop relies on legitimate interest, False to wait for consent.",
        validate=_bool,
    ),
    "AFFINITY_HALF_LIFE_DAYS": Setting(
        default=30,
        doc="Category affinities halve after this many days without new interest.",
        validate=_positive_int,
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
    "GEOIP_PATH": Setting(
        default=None,
        doc="Path of a GeoIP2 or GeoLite2 City (or Country) database; None leaves every "
        "visitor's location unknown.",
        validate=_optional_path,
    ),
    "TRUSTED_PROXIES": Setting(
        default=(),
        doc="Networks of the proxies and CDN nodes in front of the shop, whose "
        "X-Forwarded-For and country headers are believed.",
        validate=_networks,
    ),
    "CDN_COUNTRY_HEADERS": Setting(
        default=(
            "CF-IPCountry",
            "CloudFront-Viewer-Country",
            "Fastly-Geo-Country",
            "X-Akamai-Edgescape",
        ),
        doc="Request headers in which a trusted CDN sends the visitor's country; they win "
        "over the GeoIP2 database.",
        validate=_str_list,
    ),
    "DEBUG_LOCATION": Setting(
        default=None,
        doc="An IP address every request pretends to come from while DEBUG is True, to "
        "try the shop as a visitor from elsewhere.",
        validate=_optional_ip_address,
    ),
    "PICKUP_ALLOW_TRANSFERS": Setting(
        default=False,
        doc="Whether click and collect may be chosen at any pickup store, even one that "
        "cannot supply the whole basket from its own stock (it is restocked by transfer).",
        validate=_bool,
    ),
    "PICKUP_HOLD_DAYS": Setting(
        default=7,
        doc="Days a click and collect order is kept at the store once it is ready; then it "
        "expires and its stock is released.",
        validate=_positive_int,
    ),
    "PICKUP_READY_STATUS": Setting(
        default="Ready for collection",
        doc="The Oscar order status a click and collect order moves to when it is ready.",
        validate=_non_empty_str,
    ),
    "PICKUP_COLLECTED_STATUS": Setting(
        default="Collected",
        doc="The Oscar order status a click and collect order moves to when it is collected.",
        validate=_non_empty_str,
    ),
    "PICKUP_EXPIRED_STATUS": Setting(
        default="Not collected",
        doc="The Oscar order status a click and collect order moves to when its hold ran out.",
        validate=_non_empty_str,
    ),
    "PICKUP_RETURNED_STATUS": Setting(
        default="Returned",
        doc="The Oscar order status a collected click and collect order moves to when the "
        "customer brings it back to the store.",
        validate=_non_empty_str,
    ),
    "POS_THROTTLE_RATE": Setting(
        default="600/min",
        doc="How many calls one POS API key may make: a count per 's', 'min', 'hour' or "
        "'day'. Calls beyond it are answered 429 with Retry-After.",
        validate=_rate,
    ),
    "POS_QR_LIFETIME": Setting(
        default=300,
        doc="Seconds a customer's QR code from their account page identifies them at a "
        "till; each code is accepted once.",
        validate=_positive_int,
    ),
    "POS_BATCH_SIZE": Setting(
        default=1000,
        doc="The most orders one call to the POS API's batch endpoint may carry.",
        validate=_positive_int,
    ),
    "ALERTS_TAKE_OVER_OSCAR": Setting(
        default=True,
        doc="The plugin sends Oscar's own product alerts too, after the stock is saved and "
        "through the customer's channels, and its form replaces Oscar's on the product page.",
        validate=_bool,
    ),
    "ALERTS_UNCONFIRMED_DAYS": Setting(
        default=3,
        doc="Days an anonymous visitor's email alert waits for its address to be confirmed "
        "before it is deleted.",
        validate=_positive_int,
    ),
    "RECS_SIMILARITY": Setting(
        default="cosine",
        doc="How the recommendation model scores two products seen together: 'cosine', "
        "'jaccard' or 'lift'.",
        validate=_one_of("cosine", "jaccard", "lift"),
    ),
    "RECS_NEIGHBOURS": Setting(
        default=50,
        doc="How many most similar products the recommendation model keeps per product.",
        validate=_positive_int,
    ),
    "RECS_HALF_LIFE_DAYS": Setting(
        default=90,
        doc="An interaction counts half as much in the recommendation model after this many days.",
        validate=_positive_int,
    ),
    "RECS_TRENDING_DAYS": Setting(
        default=7,
        doc="The window, in days, over which trending products are counted.",
        validate=_positive_int,
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
        validate=_positive_int,
    ),
    "BANNER_ATTRIBUTION_DAYS": Setting(
        default=7,
        doc="An order counts for the banner the customer last clicked within this many days.",
        validate=_positive_int,
    ),
    "BANNER_VARIANTS_WARNING": Setting(
        default=24,
        doc="How many different renderings of a slot the editor may create before the "
        "admin warns that the slot can no longer be cached well.",
        validate=_positive_int,
    ),
    "BANNER_CAP_COOKIE_NAME": Setting(
        default="omni_bc",
        doc="Name of the signed cookie that counts a visitor's banner views for frequency caps.",
        validate=_non_empty_str,
    ),
    "SLOT_RENDER_MODE": Setting(
        default="inline",
        doc="How slots reach the page: 'inline' (rendered into it), 'esi' (an ESI include "
        "the edge fills from a cached fragment) or 'js' (a placeholder a script fills). "
        "A slot can choose its own.",
        validate=_one_of("inline", "esi", "js"),
    ),
    "VARIANT_KEY_COOKIE_NAME": Setting(
        default="omni_vk",
        doc="Name of the signed cookie that holds the variant key the edge caches "
        "fragments by (segment ids, country, device class). Readable by scripts.",
        validate=_non_empty_str,
    ),
    "FRAGMENT_EDGE_TTL": Setting(
        default=60 * 60,
        doc="Seconds the edge keeps a fragment (Surrogate-Control); publishing purges "
        "it sooner, and schedules and local-time targeting shorten it.",
        validate=_positive_int,
    ),
    "FRAGMENT_BROWSER_TTL": Setting(
        default=60,
        doc="Seconds a browser keeps a fragment it fetched in 'js' mode (Cache-Control).",
        validate=_positive_int,
    ),
    "EDGE_AB_BUCKETS": Setting(
        default=10,
        doc="While an A/B test is live, visitors fall in this many buckets, and the "
        "variant key holds theirs: more buckets follow weights more finely and make "
        "more fragments.",
        validate=_positive_int,
    ),
    "PUSH_VAPID_PUBLIC_KEY": Setting(
        default="",
        doc="The VAPID public key browsers subscribe with (base64url, uncompressed P-256 "
        "point); manage.py omni_vapid_keys makes a pair. Empty turns web push off.",
        validate=_str,
    ),
    "PUSH_VAPID_PRIVATE_KEY": Setting(
        default="",
        doc="The VAPID private key pushes are signed with (base64url or PEM). Keep it "
        "secret, in the environment.",
        validate=_str,
    ),
    "PUSH_VAPID_SUBJECT": Setting(
        default="",
        doc="Who push services contact about the shop's pushes: a 'mailto:' address or an "
        "'https:' URL (the VAPID 'sub' claim).",
        validate=_str,
    ),
    "PUSH_EXTRA_SERVICE_HOSTS": Setting(
        default=(),
        doc="Host names accepted as push services besides the known ones (FCM, Mozilla, "
        "Apple, Windows), such as a local push service in tests.",
        validate=_str_list,
    ),
    "PUSH_PROMPT_AFTER_PAGES": Setting(
        default=2,
        doc="The site's own push opt-in prompt shows from the visitor's this-many-th page "
        "view; the browser's prompt only after the visitor says yes to it.",
        validate=_positive_int,
    ),
    "PUSH_PROMPT_SNOOZE_DAYS": Setting(
        default=30,
        doc="After 'Not now' on the opt-in prompt, the browser does not show it again for "
        "this many days.",
        validate=_positive_int,
    ),
    "PUSH_DEFAULT_ICON": Setting(
        default="",
        doc="URL of the icon of notifications whose campaign or message has none (a square "
        "PNG, 192 px); empty leaves it to the browser.",
        validate=_str,
    ),
    "PUSH_CONCURRENCY": Setting(
        default=50,
        doc="At most this many pushes in flight at once per sending worker, over one "
        "kept-alive connection pool per push service.",
        validate=_positive_int,
    ),
    "PUSH_TIMEOUT": Setting(
        default=10,
        doc="Seconds a push service has to answer one push before it is retried.",
        validate=_positive_int,
    ),
    "PUSH_MAX_ATTEMPTS": Setting(
        default=5,
        doc="Attempts at one push (timeouts, 5xx, 429) before it counts as failed.",
        validate=_positive_int,
    ),
    "PUSH_CHUNK_SIZE": Setting(
        default=500,
        doc="Deliveries per sending task: a campaign fans out in tasks of this many.",
        validate=_positive_int,
    ),
    "MESSAGING_CAPS": Setting(
        default={"marketing": ((2, 24 * 60 * 60), (5, 7 * 24 * 60 * 60))},
        doc="How many messages a customer gets at most over all channels: per intent "
        "('price_drop') or per purpose ('marketing', 'service'), as (count, seconds) windows. "
        "Messages over a cap are skipped, and the profile's log says so.",
        validate=_message_caps,
    ),
    "MESSAGING_QUIET_HOURS": Setting(
        default=(21, 9),
        doc="From and to which hour of the customer's own clock no message is sent: those "
        "asked for then wait for the morning, or are dropped when they no longer matter by "
        "then. None sends at any hour.",
        validate=_quiet_hours,
    ),
    "SMS_BACKEND": Setting(
        default="omni_plugin.messaging.sms.ConsoleBackend",
        doc="The class that sends texts: the console backend writes them to standard "
        "output; a shop points this at its SMS gateway's backend (see "
        "omni_plugin.messaging.sms).",
        validate=_dotted_path,
    ),
    "TASK_QUEUES": Setting(
        default={
            "push": "omni_push",
            "personalization.recs": "omni_models",
            "personalization.tasks.refresh_segments": "omni_models",
        },
        doc="On Celery, the queue of each task: its import path, or a dotted prefix of it "
        "(a module or an app), mapped to a queue name; the longest prefix wins, and tasks "
        "named nowhere go on 'omni_default'. A task whose queue_name is not 'default' keeps it.",
        validate=_task_queues,
    ),
    "EDGE_PURGE_URLS": Setting(
        default=(),
        doc="Base URLs of the Varnish servers to send a BAN to when a banner or slot "
        "changes, such as 'http://127.0.0.1:6081'.",
        validate=_http_urls,
    ),
}


class OmniSettings:
    """Attribute access to the ``OMNI_*`` settings, with the defaults of ``SETTINGS``."""

    def __getattr__(self, name):
        try:
            setting = SETTINGS[name]
        except KeyError:
            raise AttributeError(f"{PREFIX}{name} is not an Oscar Omni setting") from None
        value = getattr(django_settings, PREFIX + name, setting.default)
        self.__dict__[name] = value
        return value

    def reload(self):
        self.__dict__.clear()


omni_settings = OmniSettings()


def _reload_on_change(*, setting, **kwargs):
    if setting.startswith(PREFIX):
        omni_settings.reload()


setting_changed.connect(_reload_on_change)
