"""Segments compiled to plain data once, cached until a segment changes.

Compiling reads each segment's rules (with their chosen products and categories) and
keeps only what testing needs, so evaluating a visitor costs no query at all
(``omni_plugin.core.compiled_cache`` keeps the result).
"""

import hashlib
import json
from dataclasses import dataclass

from omni_plugin.core.compiled_cache import CompiledCache

from .rules import RULES
from .rules.base import HistoryRule

#: Parameters that only name things for people: renaming a product keeps a rule's evidence.
DISPLAY_ONLY = {"target"}


@dataclass(frozen=True)
class Condition:
    rule_name: str
    params: dict
    key: str

    @property
    def rule(self):
        return RULES[self.rule_name]

    @property
    def needs_history(self):
        return isinstance(self.rule, HistoryRule)

    def test(self, subject):
        return self.rule.test(self.params, subject)

    def describe(self):
        return str(self.rule.describe(self.params))


@dataclass(frozen=True)
class CompiledSegment:
    id: int | None
    name: str
    match_all: bool
    conditions: tuple


def compile_condition(rule_name, value):
    params = RULES[rule_name].params(value)
    identity = {name: v for name, v in params.items() if name not in DISPLAY_ONLY}
    encoded = json.dumps(identity, sort_keys=True, default=sorted).encode()
    key = f"{rule_name}:{hashlib.sha1(encoded).hexdigest()[:12]}"
    if isinstance(RULES[rule_name], HistoryRule):
        params["key"] = key
    return Condition(rule_name, params, key)


def compile_segment(segment):
    """A ``CompiledSegment`` from a ``Segment`` (saved or not)."""
    conditions = tuple(
        compile_condition(child.block_type, child.value)
        for child in segment.rules
        if child.block_type in RULES
    )
    return CompiledSegment(segment.pk, segment.name, segment.match == "all", conditions)


def _compile_active():
    from .models import Segment

    return tuple(compile_segment(segment) for segment in Segment.objects.filter(active=True))


_active = CompiledCache("segments", _compile_active)


def active_segments():
    """Every active segment, compiled: one small cache read when nothing changed."""
    return _active.get()


def forget_compiled():
    """Make every process compile the segments again on its next request."""
    _active.forget()


def history_conditions(segments=None):
    """The distinct history conditions of the given (default: active) segments."""
    found = {}
    for segment in active_segments() if segments is None else segments:
        for condition in segment.conditions:
            if condition.needs_history:
                found.setdefault(condition.key, condition)
    return tuple(found.values())
