"""The consent decisions in force: the newest record per purpose."""

from omni_plugin.core.models import Consent


def current_consents(records):
    """The newest of ``records`` for each purpose, in the order purposes are declared."""
    newest = {}
    for record in sorted(records, key=lambda r: (r.recorded_at, r.pk), reverse=True):
        newest.setdefault(record.purpose, record)
    return [newest[purpose] for purpose in Consent.Purpose.values if purpose in newest]
