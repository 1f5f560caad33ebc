"""The banner reports in the admin: every banner's totals, and one banner's figures."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from omni_plugin.core.admin.charts import line_chart
from omni_plugin.core.admin.reports import ReportIndexView, ReportView, percent

from .models import Banner
from .reports import (
    DEFAULT_PERIOD,
    MIN_IMPRESSIONS,
    PERIODS,
    banner_report,
    banner_totals,
    period_days,
)
from .tracking import flush_stats


def signed_percent(value):
    return "–" if value is None else f"{'+' if value > 0 else ''}{percent(value)}"


class BannerReportMixin:
    """Banner figures over a chosen period, flushed first."""

    index_title = gettext_lazy("Banner reports")

    def get(self, request, *args, **kwargs):
        # Impressions wait in a buffer until flushed; a report shows them all.
        flush_stats()
        return super().get(request, *args, **kwargs)

    def get_period(self):
        try:
            days = int(self.request.GET.get("days", DEFAULT_PERIOD))
        except ValueError:
            days = DEFAULT_PERIOD
        return days if days in PERIODS else DEFAULT_PERIOD

    def get_context_data(self, **kwargs):
        period = self.get_period()
        return super().get_context_data(
            period=period,
            periods=[
                {"days": days, "label": _("Last %d days") % days, "current": days == period}
                for days in PERIODS
            ],
            days=period_days(period),
            **kwargs,
        )


class BannerReportIndexView(BannerReportMixin, ReportIndexView):
    template_name = "omni/banners/admin/report_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["banners"] = [
            {
                "banner": banner,
                "figures": figures,
                "ctr": percent(figures.ctr),
                "conversion_per_click": percent(figures.conversion_per_click),
            }
            for banner, figures in banner_totals(context["days"])
        ]
        context["report_url_name"] = self.report_url_name
        return context


class BannerReportView(BannerReportMixin, ReportView):
    template_name = "omni/banners/admin/report.html"
    edit_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.banner = get_object_or_404(Banner, pk=kwargs["pk"])

    def get_page_title(self):
        return _("Report: %s") % self.banner.name

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.banner.name}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = banner_report(self.banner, context["days"])
        context.update(
            report=report,
            min_impressions=MIN_IMPRESSIONS,
            variants=[
                {
                    "variant": variant,
                    "ctr": percent(variant.figures.ctr),
                    "conversion_per_click": percent(variant.figures.conversion_per_click),
                    "conversion": percent(variant.figures.conversion),
                }
                for variant in report.variants
            ],
            verdicts=[
                {
                    "verdict": verdict,
                    "comparisons": [
                        {
                            "comparison": comparison,
                            "rate": percent(comparison.rate),
                            "baseline_rate": percent(comparison.baseline_rate),
                            "lift": signed_percent(comparison.lift),
                        }
                        for comparison in verdict.comparisons
                    ],
                }
                for verdict in report.verdicts
            ],
            charts=self.charts(report),
            edit_url=reverse(self.edit_url_name, args=[self.banner.pk]),
        )
        return context

    def charts(self, report):
        def daily(variant, figure):
            return [
                getattr(variant.daily[day], figure) or 0 if day in variant.daily else 0
                for day in report.days
            ]

        def chart(title, figure, value_format=str):
            series = [(variant.name, daily(variant, figure)) for variant in report.variants]
            return line_chart(title, report.days, series, value_format)

        def whole(value):
            return number_format(value, 0)

        return [
            chart(_("Impressions per day"), "impressions", whole),
            chart(_("Clicks per day"), "clicks", whole),
            chart(_("Click-through rate per day"), "ctr", percent),
        ]
