"""The store editor's form: checks across the rows of opening hours and exceptions."""

from collections import defaultdict

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm


def _minutes(time):
    return time.hour * 60 + time.minute


def _kept_rows(formset):
    """The cleaned data of the rows that will be saved, with their forms."""
    formset.is_valid()
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if data and not data.get("DELETE"):
            yield form, data


def _flag_overlaps(rows, message):
    """Add ``message`` to each row whose hours overlap an earlier row's on the same day."""
    by_day = defaultdict(list)
    for form, day, opens, closes, overnight in rows:
        start = _minutes(opens)
        end = _minutes(closes) + (24 * 60 if overnight else 0)
        if any(start < other_end and other_start < end for other_start, other_end in by_day[day]):
            form.add_error("opens", message)
        by_day[day].append((start, end))


class StoreForm(WagtailAdminModelForm):
    def clean(self):
        cleaned_data = super().clean()
        self._check_opening_hours()
        self._check_exceptions()
        return cleaned_data

    def _check_opening_hours(self):
        formset = self.formsets.get("opening_hours")
        if formset is None:
            return
        rows = [
            (form, data["weekday"], data["opens"], data["closes"], data.get("overnight"))
            for form, data in _kept_rows(formset)
            if {"weekday", "opens", "closes"} <= data.keys()
        ]
        _flag_overlaps(rows, _("These hours overlap other hours on the same day."))

    def _check_exceptions(self):
        formset = self.formsets.get("exceptions")
        if formset is None:
            return
        kept = [(form, data) for form, data in _kept_rows(formset) if data.get("date")]
        closed_dates = {data["date"] for _form, data in kept if data.get("closed")}
        rows = []
        for form, data in kept:
            if data["date"] in closed_dates and not data.get("closed"):
                form.add_error("date", _("Another row closes the store all day on this date."))
            elif not data.get("closed") and data.get("opens") and data.get("closes"):
                rows.append(
                    (form, data["date"], data["opens"], data["closes"], data.get("overnight"))
                )
        _flag_overlaps(rows, _("These hours overlap other special hours on the same date."))
