"""The customer's privacy page: their consents, how to reach them, a copy of their data,
and erasure.
"""

from datetime import datetime

from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import generic
from django.views.decorators.cache import never_cache
from oscar.core.loading import get_class

from omni_plugin.core.models import Profile
from omni_plugin.core.preferences import CHANNEL_CHOICES, preferred_channel, set_preferred_channel

from ..consent import Purpose, Status, allows, record_consent
from ..gdpr import erase_profile, export_profile
from .customers import claim_profile_id, profile_id_of
from .forms import ConsentForm, EraseProfileForm, PreferredChannelForm

PageTitleMixin = get_class("customer.mixins", "PageTitleMixin")

CONSENT_SOURCE = "account page"
PRIVACY_URL = reverse_lazy("omni:privacy")


def consent_rows(snapshot):
    """Each purpose with the customer's decision on it, if any, and what is in force."""
    decisions = (snapshot or {}).get("consents", {})
    rows = []
    for purpose in Purpose:
        decision = decisions.get(purpose.value)
        rows.append(
            {
                "purpose": purpose.value,
                "label": purpose.label,
                "status": Status(decision["status"]).label if decision else None,
                "source": decision["source"] if decision else "",
                "at": datetime.fromisoformat(decision["at"]) if decision else None,
                "allowed": allows(snapshot, purpose.value),
            }
        )
    return rows


class PrivacyPageMixin(PageTitleMixin):
    """The privacy page, whichever of its forms was sent."""

    template_name = "omni/core/privacy.html"
    page_title = _("Privacy")
    active_tab = "privacy"
    success_url = PRIVACY_URL

    def get_context_data(self, **kwargs):
        profile_id = profile_id_of(self.request.user)
        snapshot = (
            Profile.objects.values_list("snapshot", flat=True).get(pk=profile_id)
            if profile_id is not None
            else {}
        )
        return super().get_context_data(
            has_profile=profile_id is not None,
            consents=consent_rows(snapshot),
            channels=CHANNEL_CHOICES,
            preferred_channel=preferred_channel(snapshot),
            **kwargs,
        )


class PrivacyView(PrivacyPageMixin, generic.FormView):
    """Lists each consent purpose and records the customer's decision on one of them."""

    form_class = ConsentForm

    def form_valid(self, form):
        purpose, status = form.cleaned_data["purpose"], form.cleaned_data["status"]
        record_consent(claim_profile_id(self.request), purpose, status, source=CONSENT_SOURCE)
        message = {
            Status.GRANTED: _("%(purpose)s is now allowed."),
            Status.WITHDRAWN: _("%(purpose)s is no longer allowed."),
        }[status]
        messages.success(self.request, message % {"purpose": Purpose(purpose).label})
        return super().form_valid(form)


class PreferredChannelView(PrivacyPageMixin, generic.FormView):
    """Records the channel the customer would rather be reached by."""

    form_class = PreferredChannelForm
    http_method_names = ["post"]

    def form_valid(self, form):
        channel = form.cleaned_data["channel"]
        set_preferred_channel(claim_profile_id(self.request), channel, source=CONSENT_SOURCE)
        label = dict(CHANNEL_CHOICES)[channel]
        messages.success(
            self.request, _("We will reach you this way first: %(channel)s.") % {"channel": label}
        )
        return HttpResponseRedirect(self.get_success_url())


@method_decorator(never_cache, name="dispatch")
class DownloadView(generic.View):
    """The customer's data as a JSON file."""

    def get(self, request):
        profile_id = profile_id_of(request.user)
        if profile_id is None:
            messages.info(request, _("We hold no profile data about you."))
            return redirect(PRIVACY_URL)
        response = JsonResponse(export_profile(profile_id), json_dumps_params={"indent": 2})
        response["Content-Disposition"] = f'attachment; filename="profile-{profile_id}.json"'
        return response


class EraseView(PageTitleMixin, generic.FormView):
    """Asks the customer to confirm, then erases their profile."""

    template_name = "omni/core/privacy_erase.html"
    form_class = EraseProfileForm
    page_title = _("Erase my profile")
    active_tab = "privacy"
    success_url = PRIVACY_URL

    def form_valid(self, form):
        profile_id = profile_id_of(self.request.user)
        omni = getattr(self.request, "omni", None)
        if omni is not None:
            # Starting afresh writes this request's pending events to the old profile, so
            # it comes first and the erasure takes those events too.
            omni.start_new_visitor()
        if profile_id is not None:
            erase_profile(profile_id)
        messages.success(
            self.request,
            _("Your profile has been erased. This browser now starts afresh, as a new visitor."),
        )
        return super().form_valid(form)
