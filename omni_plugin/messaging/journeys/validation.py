"""What a journey's steps must be: known placeholders and delays that increase."""

from django.utils.translation import gettext as _

from omni_plugin.messaging.models import Journey

from .placeholders import placeholders_in
from .triggers import TRIGGERS


def placeholder_problem(text, trigger_name):
    """Why ``text`` cannot be in a step of a ``trigger_name`` journey, or None."""
    allowed = TRIGGERS[trigger_name].placeholders
    unknown = [name for name in placeholders_in(text) if name not in allowed]
    if not unknown:
        return None
    return _("Unknown placeholder %(unknown)s for a “%(trigger)s” journey: use %(allowed)s.") % {
        "unknown": ", ".join(_braced(name) for name in unknown),
        "trigger": Journey.Trigger(trigger_name).label,
        "allowed": ", ".join(_braced(name) for name in allowed),
    }


def delay_problem(offset, previous):
    """Why a step ``offset`` after the trigger cannot follow one ``previous`` after it."""
    if previous is not None and offset <= previous:
        return _("Each step must come later than the one before it.")
    return None


def placeholders_help():
    """The placeholders each trigger's steps may use, for the editors."""
    return " ".join(
        f"{trigger.label}: {', '.join(_braced(name) for name in TRIGGERS[trigger].placeholders)}."
        for trigger in Journey.Trigger
    )


def _braced(name):
    return "{" + name + "}"
