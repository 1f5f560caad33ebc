"""Staff see the demand alerts show: per product, how many people wait, online and at each
store, in Wagtail's Reports menu (with Wagtail's spreadsheet export)."""

from collections import defaultdict

from django.db.models import Count, Max, Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from ..models import StockAlert

WAITING = Q(
    omni_stock_alerts__status=StockAlert.Status.ACTIVE,
    omni_stock_alerts__kind=StockAlert.Kind.BACK_IN_STOCK,
)
permission_policy = ModelPermissionPolicy(StockAlert)


class AlertDemandView(ReportView):
    page_title = _("Back-in-stock demand")
    header_icon = "warning"
    index_url_name = "omni_alert_demand"
    index_results_url_name = "omni_alert_demand_results"
    permission_policy = permission_policy
    any_permission_required = ["view"]
    columns = [
        Column("title", label=_("Product"), accessor="get_title"),
        Column("upc", label=_("UPC")),
        Column("waiting", label=_("Waiting")),
        Column("online", label=_("Online")),
        Column("stores", label=_("At stores"), accessor="waiting_by_store"),
        DateColumn("latest", label=_("Latest asked")),
    ]
    list_export = ["title", "upc", "waiting", "online", "waiting_by_store", "latest"]
    export_headings = {"waiting_by_store": _("At stores")}

    def get_queryset(self):
        return (
            get_model("catalogue", "Product")
            .objects.filter(WAITING)
            .annotate(
                waiting=Count("omni_stock_alerts", filter=WAITING),
                online=Count(
                    "omni_stock_alerts",
                    filter=WAITING & Q(omni_stock_alerts__store__isnull=True),
                ),
                latest=Max("omni_stock_alerts__created_at", filter=WAITING),
            )
            .order_by("-waiting", "title")
        )

    def decorate_paginated_queryset(self, products):
        by_store = defaultdict(list)
        rows = (
            StockAlert.objects.filter(
                product__in=products,
                store__isnull=False,
                status=StockAlert.Status.ACTIVE,
                kind=StockAlert.Kind.BACK_IN_STOCK,
            )
            .values("product_id", "store__name")
            .annotate(waiting=Count("id"))
            .order_by("-waiting", "store__name")
        )
        for row in rows:
            by_store[row["product_id"]].append(f"{row['store__name']}: {row['waiting']}")
        for product in products:
            product.waiting_by_store = ", ".join(by_store[product.pk]) or "–"
        return products


def admin_urls():
    view = AlertDemandView.as_view()
    results = AlertDemandView.as_view(results_only=True)
    return [
        path("reports/omni-alert-demand/", view, name="omni_alert_demand"),
        path("reports/omni-alert-demand/results/", results, name="omni_alert_demand_results"),
    ]


class AlertDemandMenuItem(MenuItem):
    def is_shown(self, request):
        return permission_policy.user_has_permission(request.user, "view")


def menu_item():
    return AlertDemandMenuItem(
        _("Back-in-stock demand"),
        reverse("omni_alert_demand"),
        name="omni-alert-demand",
        icon_name="warning",
        order=1300,
    )
