"""The messaging app's settings: frequency caps, quiet hours and the SMS backend."""

from django.utils.module_loading import import_string

from omni_plugin.conf import Setting, register_settings


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


def _dotted_path(value):
    if not isinstance(value, str) or "." not in value:
        return f"must be the dotted path of a class, not {value!r}"
    try:
        import_string(value)
    except ImportError as error:
        return f"cannot be imported: {error}"


register_settings(
    {
        "MESSAGING_CAPS": Setting(
            default={"marketing": ((2, 24 * 60 * 60), (5, 7 * 24 * 60 * 60))},
            doc="How many messages a customer gets at most over all channels: per intent "
            "('price_drop') or per purpose ('marketing', 'service'), as (count, seconds) "
            "windows. Messages over a cap are skipped, and the profile's log says so.",
            validate=_message_caps,
        ),
        "MESSAGING_QUIET_HOURS": Setting(
            default=(21, 9),
            doc="From and to which hour of the customer's own clock no message is sent: those "
            "asked for then wait for the morning, or are dropped when they no longer matter "
            "by then. None sends at any hour.",
            validate=_quiet_hours,
        ),
        "SMS_BACKEND": Setting(
            default="omni_plugin.messaging.sms.ConsoleBackend",
            doc="The class that sends texts: the console backend writes them to standard "
            "output; a shop points this at its SMS gateway's backend (see "
            "omni_plugin.messaging.sms).",
            validate=_dotted_path,
        ),
    }
)
