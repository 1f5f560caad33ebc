"""How a store is described to visitors: how far away it is and whether it is open."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

#: Distances under this many km show one decimal ("2.3 km"); longer ones whole km ("42 km").
PRECISE_DISTANCE_KM = 10


def format_distance(km):
    shown = f"{km:.1f}" if km < PRECISE_DISTANCE_KM else f"{km:.0f}"
    return _("%(distance)s km") % {"distance": shown}


@dataclass(frozen=True)
class OpeningStatus:
    """Whether a store is open at a moment, on the store's own clock.

    ``closes`` is when it closes if it is open; ``opens`` when it next opens if it is
    closed (None for a store that does not open within a year).
    """

    closes: datetime | None = None
    opens: datetime | None = None

    @classmethod
    def of(cls, store, moment):
        closes = store.closes_at(moment)
        if closes is not None:
            return cls(closes=closes)
        return cls(opens=store.next_opening(moment))

    @property
    def is_open(self):
        return self.closes is not None

    @property
    def sentence(self):
        """On its own: "Open until 20:00", "Closed · opens Monday 09:00" or "Closed"."""
        if self.is_open:
            return _("Open until %(time)s") % {"time": date_format(self.closes, "H:i")}
        if self.opens is None:
            return _("Closed")
        return _("Closed · opens %(day)s %(time)s") % self._opening_parts()

    @property
    def clause(self):
        """Within a sentence: "open until 20:00", "closed · opens Monday 09:00" or "closed"."""
        if self.is_open:
            return _("open until %(time)s") % {"time": date_format(self.closes, "H:i")}
        if self.opens is None:
            return _("closed")
        return _("closed · opens %(day)s %(time)s") % self._opening_parts()

    def _opening_parts(self):
        return {"day": date_format(self.opens, "l"), "time": date_format(self.opens, "H:i")}
