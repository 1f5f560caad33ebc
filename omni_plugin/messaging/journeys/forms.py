"""The journey editor's form: the order statuses to choose from, and checks across steps."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from omni_plugin.messaging.models import Journey

from .validation import delay_problem, placeholder_problem


def _kept_rows(formset):
    """The cleaned data of the step rows that will be saved, with their forms, in order."""
    formset.is_valid()
    rows = [
        (form, form.cleaned_data)
        for form in formset.forms
        if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
    ]
    return sorted(rows, key=lambda row: row[1].get("ORDER") or 0)


class JourneyForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        statuses = getattr(settings, "OSCAR_ORDER_STATUS_PIPELINE", {})
        field = self.fields["order_status"]
        self.fields["order_status"] = forms.ChoiceField(
            label=field.label,
            help_text=field.help_text,
            required=False,
            choices=[("", "---------"), *((status, status) for status in statuses)],
        )

    def clean(self):
        cleaned_data = super().clean()
        trigger = cleaned_data.get("trigger")
        if trigger == Journey.Trigger.PICKUP_READY and not cleaned_data.get("order_status"):
            self.add_error(
                "order_status", _("Choose the order status that means it is ready for collection.")
            )
        self._check_steps(trigger)
        return cleaned_data

    def _check_steps(self, trigger):
        formset = self.formsets.get("steps")
        if formset is None:
            return
        rows = _kept_rows(formset)
        if not rows:
            self.add_error(None, _("A journey needs at least one step."))
        previous = None
        for form, data in rows:
            if trigger:
                for field in ("title", "body"):
                    if problem := placeholder_problem(data.get(field, ""), trigger):
                        form.add_error(field, problem)
            if data.get("delay") is None or not data.get("delay_unit"):
                continue
            offset = timedelta(**{data["delay_unit"]: data["delay"]})
            if problem := delay_problem(offset, previous):
                form.add_error("delay", problem)
            previous = offset
