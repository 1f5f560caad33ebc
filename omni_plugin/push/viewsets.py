"""Push campaigns in the Wagtail admin: the campaign snippet, its actions, and the reports."""

from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import (
    EditView,
    IndexView,
    InspectView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from omni_plugin.core.admin.reports import ReportViewSet

from .action_views import CancelView, EstimateView, SendTestView, SendView, sends_later
from .models import Campaign
from .panels import AudienceEstimatePanel
from .report_views import CampaignReportIndexView, CampaignReportView

SENDING_OR_SCHEDULED = (Campaign.Status.SCHEDULED, Campaign.Status.SENDING)


class CampaignIndexView(IndexView):
    """Only drafts link to their edit form; the others to their read-only page."""

    report_url_name = None

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if instance.editable else None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not instance.editable:
            buttons.append(
                ListingMenuItem(
                    _("Report"),
                    url=reverse(self.report_url_name, args=[instance.pk]),
                    icon_name="table",
                    priority=5,
                )
            )
        return buttons


class CampaignActionsMixin:
    """Header buttons for what the editor may do with the campaign now."""

    action_url_names = None
    report_url_name = None

    def campaign_buttons(self, campaign):
        def url(action):
            return reverse(self.action_url_names[action], args=[campaign.pk])

        user = self.request.user
        may_send = self.permission_policy.user_has_permission(user, "send")
        buttons = []
        if self.permission_policy.user_has_permission(user, "change"):
            buttons.append(
                Button(_("Send test to me"), url=url("send_test"), icon_name="mail", priority=1)
            )
        if campaign.editable and may_send:
            label = _("Schedule…") if sends_later(campaign) else _("Send…")
            buttons.append(Button(label, url=url("send"), icon_name="mail", priority=2))
        if campaign.status in SENDING_OR_SCHEDULED and may_send:
            buttons.append(Button(_("Cancel…"), url=url("cancel"), icon_name="cross", priority=3))
        if not campaign.editable:
            report_url = reverse(self.report_url_name, args=[campaign.pk])
            buttons.append(Button(_("Report"), url=report_url, icon_name="table", priority=5))
        return buttons


class CampaignEditView(CampaignActionsMixin, EditView):
    """Edits drafts only: a campaign on its way or sent is shown read-only instead."""

    def get(self, request, *args, **kwargs):
        return self.refuse_unless_draft() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.refuse_unless_draft() or super().post(request, *args, **kwargs)

    def refuse_unless_draft(self):
        if self.object.editable:
            return None
        messages.warning(
            self.request,
            _("The campaign “%(name)s” is %(status)s: only drafts can be edited.")
            % {"name": self.object.name, "status": self.object.get_status_display().lower()},
        )
        return redirect(self.get_inspect_url())

    @cached_property
    def header_more_buttons(self):
        return [*super().header_more_buttons, *self.campaign_buttons(self.object)]


class CampaignInspectView(CampaignActionsMixin, InspectView):
    def get_edit_url(self):
        return super().get_edit_url() if self.object.editable else None

    @cached_property
    def header_more_buttons(self):
        return [*super().header_more_buttons, *self.campaign_buttons(self.object)]


def _status(campaign):
    return campaign.get_status_display()


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "mail"
    menu_label = gettext_lazy("Campaigns")
    index_view_class = CampaignIndexView
    edit_view_class = CampaignEditView
    inspect_view_class = CampaignInspectView
    inspect_view_enabled = True
    list_display = [
        "name",
        Column("status", label=gettext_lazy("Status"), accessor=_status),
        DateColumn("send_at", label=gettext_lazy("Send at")),
        Column("sent", label=gettext_lazy("Sent")),
        Column("clicked", label=gettext_lazy("Clicked")),
    ]
    list_filter = ["status"]
    search_fields = ["name", "title"]
    search_backend_name = None
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("title"),
                FieldPanel("body"),
                FieldPanel("icon"),
                FieldPanel("image"),
                FieldPanel("url"),
            ],
            heading=gettext_lazy("Message"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("include_segments", widget=forms.CheckboxSelectMultiple),
                FieldPanel("exclude_segments", widget=forms.CheckboxSelectMultiple),
                FieldPanel("countries"),
                FieldPanel("regions"),
                FieldPanel("cities"),
                FieldPanel("near_store"),
                FieldRowPanel(
                    [FieldPanel("near_latitude"), FieldPanel("near_longitude")],
                    heading=gettext_lazy("Or near a point"),
                ),
                FieldPanel("near_radius_km"),
                AudienceEstimatePanel(heading=gettext_lazy("Audience estimate")),
            ],
            heading=gettext_lazy("Audience"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("send_at"),
                FieldPanel("local_time_delivery"),
                FieldRowPanel(
                    [FieldPanel("quiet_hours_start"), FieldPanel("quiet_hours_end")],
                    heading=gettext_lazy("Quiet hours"),
                ),
                FieldRowPanel(
                    [FieldPanel("cap_count"), FieldPanel("cap_days")],
                    heading=gettext_lazy("Frequency cap"),
                ),
                FieldPanel("ttl"),
                FieldPanel("urgency"),
                FieldPanel("topic"),
            ],
            heading=gettext_lazy("Delivery"),
        ),
    ]

    def get_queryset(self, request):
        return Campaign.objects.annotate(
            sent=Count("deliveries", filter=Q(deliveries__sent_at__isnull=False)),
            clicked=Count("deliveries", filter=Q(deliveries__clicked_at__isnull=False)),
        )

    def action_url_names(self):
        return {action: self.get_url_name(action) for action in ("send_test", "send", "cancel")}

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(report_url_name=_report_url_name(), **kwargs)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(
            action_url_names=self.action_url_names(), report_url_name=_report_url_name(), **kwargs
        )

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            action_url_names=self.action_url_names(), report_url_name=_report_url_name(), **kwargs
        )

    def get_urlpatterns(self):
        common = {
            "permission_policy": self.permission_policy,
            "campaign_url_names": {
                "edit": self.get_url_name("edit"),
                "inspect": self.get_url_name("inspect"),
            },
            "report_url_name": _report_url_name(),
        }
        estimate = EstimateView.as_view(
            permission_policy=self.permission_policy, form_class=self.get_form_class()
        )
        return [
            *super().get_urlpatterns(),
            path("send-test/<int:pk>/", SendTestView.as_view(**common), name="send_test"),
            path("send/<int:pk>/", SendView.as_view(**common), name="send"),
            path("cancel/<int:pk>/", CancelView.as_view(**common), name="cancel"),
            path("estimate/", estimate, name="estimate_new"),
            path("estimate/<int:pk>/", estimate, name="estimate"),
        ]


class CampaignReportViewSet(ReportViewSet):
    """The reports: a list of campaigns with their totals, and a page per campaign."""

    name = "push_reports"
    url_prefix = "push-reports"

    def get_urlpatterns(self):
        common = self.report_view_kwargs("campaign")
        return [
            path("", CampaignReportIndexView.as_view(**common), name="index"),
            path(
                "<int:pk>/",
                CampaignReportView.as_view(
                    campaign_url_names={
                        "edit": campaign_viewset.get_url_name("edit"),
                        "inspect": campaign_viewset.get_url_name("inspect"),
                    },
                    **common,
                ),
                name="campaign",
            ),
        ]


def _report_url_name():
    return report_viewset.get_url_name("campaign")


campaign_viewset = CampaignViewSet()
report_viewset = CampaignReportViewSet(snippet_viewset=campaign_viewset)


class PushViewSetGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Push campaigns")
    menu_icon = "mail"
    menu_order = 280
    items = (campaign_viewset, report_viewset)
