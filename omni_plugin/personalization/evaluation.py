"""Testing a subject against compiled segments, each condition at most once."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Membership:
    """A subject in a segment, and the conditions that put it there."""

    segment_id: int | None
    name: str
    conditions: tuple

    @property
    def reasons(self):
        return [condition.describe() for condition in self.conditions]


def evaluate(segments, subject):
    """The ``Membership`` of ``subject`` in each of ``segments`` it belongs to.

    Segments share conditions more often than not (the same category, the same country),
    so each distinct condition is tested once per subject.
    """
    results = {}
    memberships = []
    for segment in segments:
        matched = _matched_conditions(segment, subject, results)
        if matched:
            memberships.append(Membership(segment.id, segment.name, matched))
    return memberships


def _matched_conditions(segment, subject, results):
    matched = []
    for condition in segment.conditions:
        passed = results.get(condition.key)
        if passed is None:
            passed = results[condition.key] = condition.test(subject)
        if passed:
            matched.append(condition)
        elif segment.match_all:
            return ()
    return tuple(matched)
