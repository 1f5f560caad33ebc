"""Helpers for segment tests: segments saved as the admin form saves them."""

import json

from omni_plugin.personalization.models import Segment


def make_segment(name, *rules, match="all", active=True):
    """A saved segment; ``rules`` are (rule type, raw block value) pairs, with chooser ids."""
    raw = json.dumps([{"type": rule_type, "value": value} for rule_type, value in rules])
    return Segment.objects.create(name=name, match=match, active=active, rules=raw)
