from django import forms
from django.utils.translation import gettext_lazy as _

from omni_plugin.core.models import Consent
from omni_plugin.core.preferences import CHANNEL_CHOICES


class ConsentForm(forms.Form):
    """One decision on one purpose, as the customer makes it on the privacy page."""

    purpose = forms.ChoiceField(choices=Consent.Purpose.choices)
    status = forms.ChoiceField(
        choices=[
            (Consent.Status.GRANTED, _("Allow")),
            (Consent.Status.WITHDRAWN, _("Withdraw")),
        ]
    )


class PreferredChannelForm(forms.Form):
    """The channel the customer would rather be reached by."""

    channel = forms.ChoiceField(
        label=_("How should we reach you?"),
        choices=CHANNEL_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how we should reach you.")},
    )


class EraseProfileForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my profile will be erased and that this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm that your profile may be erased.")},
    )
