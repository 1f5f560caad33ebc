"""The push reports in the admin: every campaign's totals, and one campaign's course."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from omni_plugin.core.admin.charts import DAILY, HOURLY, line_chart
from omni_plugin.core.admin.reports import ReportIndexView, ReportView, percent

from .models import Campaign
from .reports import campaign_report, campaign_totals


def whole(value):
    return number_format(value, 0)


def rates(figures):
    return {
        "delivery_rate": percent(figures.delivery_rate),
        "shown_rate": percent(figures.shown_rate),
        "click_through": percent(figures.click_through),
    }


PUSH_REPORTS = gettext_lazy("Push reports")


class CampaignReportIndexView(ReportIndexView):
    index_title = PUSH_REPORTS
    template_name = "omni/push/admin/report_index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            campaigns=[
                {"campaign": campaign, "figures": figures, **rates(figures)}
                for campaign, figures in campaign_totals()
            ],
            report_url_name=self.report_url_name,
            **kwargs,
        )


class CampaignReportView(ReportView):
    index_title = PUSH_REPORTS
    template_name = "omni/push/admin/report.html"
    campaign_url_names = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.campaign = get_object_or_404(Campaign, pk=kwargs["pk"])

    def get_page_title(self):
        return _("Report: %s") % self.campaign.name

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.campaign.name}]

    def get_context_data(self, **kwargs):
        report = campaign_report(self.campaign)
        view = "edit" if self.campaign.editable else "inspect"
        return super().get_context_data(
            report=report,
            rates=rates(report.figures),
            chart=self.chart(report.timeline),
            campaign_url=reverse(self.campaign_url_names[view], args=[self.campaign.pk]),
            **kwargs,
        )

    def chart(self, timeline):
        if timeline is None:
            return None
        series = [(_("Delivered"), timeline.delivered), (_("Clicked"), timeline.clicked)]
        if timeline.hourly:
            title = _("Delivered and clicked per hour")
        else:
            title = _("Delivered and clicked per day")
        scale = HOURLY if timeline.hourly else DAILY
        return line_chart(title, timeline.starts, series, whole, scale)
