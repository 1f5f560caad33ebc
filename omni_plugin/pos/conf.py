"""The POS API's settings: throttling, till QR codes and batch sizes."""

import re

from omni_plugin.conf import Setting, positive_int, register_settings

RATE = re.compile(r"^[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)$")


def _rate(value):
    if not isinstance(value, str) or not RATE.match(value):
        return f"must be a rate such as '600/min' (per 's', 'min', 'hour' or 'day'), not {value!r}"


register_settings(
    {
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
            validate=positive_int,
        ),
        "POS_BATCH_SIZE": Setting(
            default=1000,
            doc="The most orders one call to the POS API's batch endpoint may carry.",
            validate=positive_int,
        ),
    }
)
