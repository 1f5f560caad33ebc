"""What every segment rule is: a StreamField block that compiles to plain parameters.

A rule type is one small class. Its block fields are what the editor fills in;
``params`` turns the editor's value into plain data once, when segments are compiled;
``test`` answers for one visitor from a ``Subject`` without touching the database;
``describe`` says in words what matched, for the admin and for explanations.

Rules about counts in a window of time (``HistoryRule``) keep their evidence in the
profile's snapshot: ``watches`` picks the events that count, folded in as they are written.
"""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class Rule(blocks.StructBlock):
    def params(self, value):
        """Plain data (numbers, strings, lists) from the block's value."""
        return {name: _plain(child) for name, child in value.items()}

    def describe(self, params):
        raise NotImplementedError

    def test(self, params, subject):
        raise NotImplementedError


class HistoryRule(Rule):
    """A rule about matching events within the last ``window(params)``."""

    #: The event kinds ``watches`` may accept.
    kinds = ()

    def watches(self, params, event):
        """Whether ``event`` (an ``Event`` or ``NewEvent``) is evidence for this rule."""
        raise NotImplementedError

    def window(self, params):
        return timedelta(days=params["days"])

    def keep(self, params):
        """How many of the newest matching events the rule needs to decide."""
        return params.get("times", 100)

    def evidence_value(self, event):
        """What the rule remembers of a matching event besides its time."""
        return None

    def test(self, params, subject):
        evidence = subject.recent_evidence(self, params)
        return self.decide(params, evidence)

    def decide(self, params, evidence):
        """``evidence``: the (time, value) pairs of matching events within the window."""
        return len(evidence) >= params["times"]


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (list, tuple)) or type(value).__name__ == "ListValue":
        return [_plain(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def times_field(label=None):
    return blocks.IntegerBlock(min_value=1, default=1, label=label or _("At least this many times"))


def days_field():
    return blocks.IntegerBlock(
        min_value=1, max_value=3650, default=30, label=_("In the last (days)")
    )
