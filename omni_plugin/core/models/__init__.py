"""Customer profiles, their identifiers, events, merges and consents."""

from .profiles import Consent, Event, Identifier, Merge, Profile

__all__ = ["Consent", "Event", "Identifier", "Merge", "Profile"]
