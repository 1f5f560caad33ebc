"""Segments compiled to plain data once, cached until a segment changes.

Compiling reads each segment's rules (with their chosen products and categories) and
keeps only what testing needs, so evaluating a visitor costs no query at all. Each
process keeps the compiled segments it last used, and a request only reads the small
version number from the shared cache to know whether they are still current.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass

from django.core.cache import caches

from omni_plugin.conf import omni_settings

from .rules import RULES
from .rules.base import HistoryRule

VERSION_KEY = "omni:segments:version"
COMPILED_KEY = "omni:segments:compiled:{version}"
CACHE_TIMEOUT = 60 * 60 * 24
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


#: (version, compiled segments) this process used last.
_in_process = ("", ())


def active_segments():
    """Every active segment, compiled: one small cache read when nothing changed."""
    global _in_process
    cache = caches[omni_settings.CACHE_ALIAS]
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
        if version is None:  # a cache that keeps nothing (omni.W009): compile every time
            return _compile_active()
    if _in_process[0] == version:
        return _in_process[1]
    key = COMPILED_KEY.format(version=version)
    compiled = cache.get(key)
    if compiled is None:
        compiled = _compile_active()
        cache.set(key, compiled, CACHE_TIMEOUT)
    _in_process = (version, compiled)
    return compiled


def _compile_active():
    from .models import Segment

    return tuple(compile_segment(segment) for segment in Segment.objects.filter(active=True))


def forget_compiled():
    """Make every process compile the segments again on its next request."""
    caches[omni_settings.CACHE_ALIAS].set(VERSION_KEY, uuid.uuid4().hex, None)


def history_conditions(segments=None):
    """The distinct history conditions of the given (default: active) segments."""
    found = {}
    for segment in active_segments() if segments is None else segments:
        for condition in segment.conditions:
            if condition.needs_history:
                found.setdefault(condition.key, condition)
    return tuple(found.values())
