"""The push app's settings: the VAPID keys, the opt-in prompt and the sender."""

from omni_plugin.conf import Setting, positive_int, register_settings, str_list


def _str(value):
    if not isinstance(value, str):
        return f"must be a string, not {value!r}"


register_settings(
    {
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
            doc="Who push services contact about the shop's pushes: a 'mailto:' address or "
            "an 'https:' URL (the VAPID 'sub' claim).",
            validate=_str,
        ),
        "PUSH_EXTRA_SERVICE_HOSTS": Setting(
            default=(),
            doc="Host names accepted as push services besides the known ones (FCM, Mozilla, "
            "Apple, Windows), such as a local push service in tests.",
            validate=str_list,
        ),
        "PUSH_PROMPT_AFTER_PAGES": Setting(
            default=2,
            doc="The site's own push opt-in prompt shows from the visitor's this-many-th "
            "page view; the browser's prompt only after the visitor says yes to it.",
            validate=positive_int,
        ),
        "PUSH_PROMPT_SNOOZE_DAYS": Setting(
            default=30,
            doc="After 'Not now' on the opt-in prompt, the browser does not show it again "
            "for this many days.",
            validate=positive_int,
        ),
        "PUSH_DEFAULT_ICON": Setting(
            default="",
            doc="URL of the icon of notifications whose campaign or message has none (a "
            "square PNG, 192 px); empty leaves it to the browser.",
            validate=_str,
        ),
        "PUSH_CONCURRENCY": Setting(
            default=50,
            doc="At most this many pushes in flight at once per sending worker, over one "
            "kept-alive connection pool per push service.",
            validate=positive_int,
        ),
        "PUSH_TIMEOUT": Setting(
            default=10,
            doc="Seconds a push service has to answer one push before it is retried.",
            validate=positive_int,
        ),
        "PUSH_MAX_ATTEMPTS": Setting(
            default=5,
            doc="Attempts at one push (timeouts, 5xx, 429) before it counts as failed.",
            validate=positive_int,
        ),
        "PUSH_CHUNK_SIZE": Setting(
            default=500,
            doc="Deliveries per sending task: a campaign fans out in tasks of this many.",
            validate=positive_int,
        ),
    }
)
