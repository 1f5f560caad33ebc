"""What an editor does with a campaign: test it on their own browsers, send it, cancel it.

Each action shows a confirmation page on GET and acts on POST.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from omni_plugin.core.models import Identifier

from . import messages as push_messages
from .audience import estimate
from .campaigns import CampaignError, cancel, start
from .models import Campaign, Delivery, PushSubscription
from .payloads import PayloadTooLarge, campaign_message

NO_SUBSCRIPTION = gettext_lazy(
    "You have no push subscription: open the shop in this browser and allow notifications first."
)


def subscriptions_of(user):
    """The active push subscriptions of the profile the user's account belongs to."""
    return PushSubscription.objects.filter(
        active=True,
        profile__identifiers__kind=Identifier.Kind.USER,
        profile__identifiers__value=str(user.pk),
    )


def sends_later(campaign):
    return campaign.send_at is not None and campaign.send_at > timezone.now()


class CampaignActionView(WagtailAdminTemplateMixin, TemplateView):
    permission_policy = None
    permission = "change"
    campaign_url_names = None
    report_url_name = None
    template_name = "omni/push/admin/confirm.html"
    header_icon = "mail"
    allowed_statuses = ()

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_policy.user_has_permission(request.user, self.permission):
            raise PermissionDenied
        self.campaign = get_object_or_404(Campaign, pk=kwargs["pk"])
        if self.allowed_statuses and self.campaign.status not in self.allowed_statuses:
            messages.error(request, self.refusal())
            return redirect(self.campaign_url())
        return super().dispatch(request, *args, **kwargs)

    def refusal(self):
        return _("The campaign “%(name)s” is %(status)s: it cannot be %(action)s.") % {
            "name": self.campaign.name,
            "status": self.campaign.get_status_display().lower(),
            "action": self.past_participle,
        }

    def campaign_url(self):
        view = "edit" if self.campaign.editable else "inspect"
        return reverse(self.campaign_url_names[view], args=[self.campaign.pk])

    def get_page_subtitle(self):
        return self.campaign.name

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": self.campaign_url(), "label": self.campaign.name},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            campaign=self.campaign, back_url=self.campaign_url(), **kwargs
        )


class SendTestView(CampaignActionView):
    page_title = gettext_lazy("Send a test")
    confirm_label = gettext_lazy("Send the test")

    def get(self, request, *args, **kwargs):
        if not subscriptions_of(request.user).exists():
            messages.error(request, NO_SUBSCRIPTION)
            return redirect(self.campaign_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        browsers = subscriptions_of(self.request.user).count()
        return super().get_context_data(
            confirm_label=self.confirm_label,
            question=ngettext(
                "Send the campaign, as last saved, to the browser where you allowed "
                "notifications? Tests are not counted in the report.",
                "Send the campaign, as last saved, to the %(count)d browsers where you allowed "
                "notifications? Tests are not counted in the report.",
                browsers,
            )
            % {"count": browsers},
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        subscriptions = subscriptions_of(request.user)
        if not subscriptions.exists():
            messages.error(request, NO_SUBSCRIPTION)
            return redirect(self.campaign_url())
        try:
            deliveries = push_messages.send_test(campaign_message(self.campaign), subscriptions)
        except PayloadTooLarge as error:
            messages.error(request, str(error))
            return redirect(self.campaign_url())
        delivered = [d for d in deliveries if d.status == Delivery.Status.DELIVERED]
        if delivered:
            messages.success(
                request,
                ngettext(
                    "Sent to %(count)d of your browsers.",
                    "Sent to %(count)d of your browsers.",
                    len(delivered),
                )
                % {"count": len(delivered)},
            )
        for failed in (d for d in deliveries if d.status != Delivery.Status.DELIVERED):
            messages.error(
                request,
                _("Not delivered to one of your browsers (%(status)s): %(reason)s")
                % {
                    "status": failed.get_status_display().lower(),
                    "reason": failed.reason or _("no reason given"),
                },
            )
        return redirect(self.campaign_url())


class SendView(CampaignActionView):
    permission = "send"
    allowed_statuses = (Campaign.Status.DRAFT,)
    past_participle = gettext_lazy("sent")

    def get_page_title(self):
        return _("Schedule") if sends_later(self.campaign) else _("Send")

    def get_context_data(self, **kwargs):
        if sends_later(self.campaign):
            question = _("Schedule the campaign for %(time)s?") % {
                "time": date_format(timezone.localtime(self.campaign.send_at), "DATETIME_FORMAT")
            }
            confirm_label = _("Schedule")
        else:
            question = _("Send the campaign now?")
            confirm_label = _("Send now")
        return super().get_context_data(
            question=question,
            confirm_label=confirm_label,
            estimate=estimate(self.campaign),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            campaign = start(self.campaign)
        except CampaignError as error:
            messages.error(request, str(error))
            return redirect(self.campaign_url())
        self.campaign = campaign
        if campaign.status == Campaign.Status.SCHEDULED:
            messages.success(
                request, _("The campaign “%(name)s” is scheduled.") % {"name": campaign.name}
            )
            return redirect(self.campaign_url())
        messages.success(
            request, _("The campaign “%(name)s” is being sent.") % {"name": campaign.name}
        )
        return redirect(reverse(self.report_url_name, args=[campaign.pk]))


class CancelView(CampaignActionView):
    permission = "send"
    allowed_statuses = (Campaign.Status.SCHEDULED, Campaign.Status.SENDING)
    page_title = gettext_lazy("Cancel")
    past_participle = gettext_lazy("cancelled")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            question=_(
                "Cancel the campaign? Pushes not sent yet will not be sent; it cannot be "
                "started again, but a copy can."
            ),
            confirm_label=_("Cancel the campaign"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            self.campaign = cancel(self.campaign)
        except CampaignError as error:
            messages.error(request, str(error))
            return redirect(self.campaign_url())
        messages.success(
            request, _("The campaign “%(name)s” is cancelled.") % {"name": self.campaign.name}
        )
        return redirect(self.campaign_url())


class EstimateView(View):
    """The audience of the campaign as on the edit form, as JSON, before it is saved.

    The form is saved in a transaction that is rolled back: the segments chosen are then
    counted as the saved campaign's are, and nothing is kept.
    """

    permission_policy = None
    form_class = None
    http_method_names = ["post"]

    def post(self, request, pk=None):
        if not self.permission_policy.user_has_any_permission(request.user, ["add", "change"]):
            raise PermissionDenied
        campaign = get_object_or_404(Campaign, pk=pk) if pk else Campaign()
        if not campaign.editable:
            return JsonResponse({"error": _("Only a draft's audience is counted.")}, status=400)
        form = self.form_class(request.POST, instance=campaign, for_user=request.user)
        if not form.is_valid():
            message = _("Correct the errors on the form to count the audience.")
            return JsonResponse({"error": message}, status=400)
        with transaction.atomic():
            figures = estimate(form.save())
            transaction.set_rollback(True)
        return JsonResponse(figures)
