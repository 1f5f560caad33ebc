"""A store's opening times as intervals of aware datetimes in its time zone.

Regular hours repeat every week; the exceptions for a date replace that date's regular
hours (a closed exception closes the whole date). Hours that run past midnight belong to
the date they open on. Intervals that touch or overlap, also across midnight, count as one.
"""

from datetime import UTC, datetime, timedelta

#: How far ahead the schedule looks: a store that does not open within it is closed for good.
LOOKAHEAD_DAYS = 366


def _local(day, time, zone):
    """``time`` on ``day`` in ``zone``; a time the clocks skip moves forward by the gap."""
    return datetime.combine(day, time, tzinfo=zone).astimezone(UTC).astimezone(zone)


def _merged(intervals):
    merged = []
    for opens, closes in sorted(intervals):
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return merged


class Schedule:
    """Opening intervals from weekly ``hours`` (weekday, opens, closes, overnight) and
    dated ``exceptions`` (date, closed, opens, closes, overnight), in ``zone``."""

    def __init__(self, zone, hours, exceptions):
        self.zone = zone
        self.weekly = {}
        for row in hours:
            self.weekly.setdefault(row.weekday, []).append(row)
        self.exceptions = {}
        for row in exceptions:
            self.exceptions.setdefault(row.date, []).append(row)

    def _rows_for(self, day):
        exceptions = self.exceptions.get(day)
        if exceptions is None:
            return self.weekly.get(day.weekday(), [])
        if any(row.closed for row in exceptions):
            return []
        return exceptions

    def _intervals_starting(self, day):
        for row in self._rows_for(day):
            closing_day = day + timedelta(days=1) if row.overnight else day
            opens = _local(day, row.opens, self.zone)
            closes = _local(closing_day, row.closes, self.zone)
            if opens < closes:
                yield opens, closes

    def intervals(self, day):
        """The (opens, closes) intervals that start on the local date ``day``, in order."""
        return _merged(self._intervals_starting(day))

    def _timeline(self, moment):
        """Merged intervals in order, from the day before ``moment``'s date onwards.

        Starting a day early catches hours that opened the day before and run past midnight.
        """
        day = moment.astimezone(self.zone).date() - timedelta(days=1)
        pending = None
        for offset in range(LOOKAHEAD_DAYS + 1):
            for opens, closes in self.intervals(day + timedelta(days=offset)):
                if pending and opens <= pending[1]:
                    pending = (pending[0], max(pending[1], closes))
                    continue
                if pending:
                    yield pending
                pending = (opens, closes)
        if pending:
            yield pending

    def interval_at(self, moment):
        """The (opens, closes) interval ``moment`` falls in, or None when closed."""
        for opens, closes in self._timeline(moment):
            if opens > moment:
                return None
            if moment < closes:
                return opens, closes
        return None

    def next_opening(self, moment):
        """When the store next opens after ``moment``, or None if not within a year."""
        for opens, _closes in self._timeline(moment):
            if opens > moment:
                return opens
        return None
