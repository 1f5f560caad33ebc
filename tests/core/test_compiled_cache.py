"""Compiled values: a change made in another process reaches this one within a second."""

import pytest
from django.core.cache import caches

from omni_plugin.conf import omni_settings
from omni_plugin.core import compiled_cache
from omni_plugin.core.compiled_cache import RECHECK_SECONDS, CompiledCache


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(compiled_cache.time, "monotonic", lambda: now[0])
    return now


def test_a_change_from_another_process_is_seen_once_the_copy_is_rechecked(clock):
    source = {"value": "spring"}
    compiled = CompiledCache("test-season", lambda: source["value"])
    assert compiled.get() == "spring"

    source["value"] = "summer"
    # Another process forgets: only the shared version changes, not this process's copy.
    caches[omni_settings.CACHE_ALIAS].set(compiled.version_key, "changed-elsewhere", None)
    assert compiled.get() == "spring"

    clock[0] += RECHECK_SECONDS
    assert compiled.get() == "summer"


def test_a_change_in_this_process_is_seen_at_once(clock):
    source = {"value": "spring"}
    compiled = CompiledCache("test-season", lambda: source["value"])
    assert compiled.get() == "spring"

    source["value"] = "summer"
    compiled.forget()
    assert compiled.get() == "summer"
