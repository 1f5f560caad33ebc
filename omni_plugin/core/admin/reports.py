"""What the plugin's admin reports (banners, push campaigns) share: who may read them, a
menu item shown only to them, and the views' common frame."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet


def can_see_reports(user, permission_policy):
    """Whoever may look at the objects may read their figures."""
    return permission_policy.user_has_any_permission(user, ["view", "change"])


def percent(value):
    return "–" if value is None else f"{number_format(value * 100, 1)} %"


class ReportViewSet(ViewSet):
    """Reports on a snippet's objects: ``ReportViewSet(snippet_viewset=...)``."""

    icon = "table"
    menu_label = gettext_lazy("Reports")
    snippet_viewset = None

    @property
    def permission_policy(self):
        return self.snippet_viewset.permission_policy

    @cached_property
    def menu_item_class(self):
        viewset = self

        class ReportsMenuItem(MenuItem):
            def is_shown(self, request):
                return can_see_reports(request.user, viewset.permission_policy)

        return ReportsMenuItem

    def report_view_kwargs(self, report_url_name):
        return {
            "permission_policy": self.permission_policy,
            "index_url_name": self.get_url_name("index"),
            "report_url_name": self.get_url_name(report_url_name),
        }


class ReportView(WagtailAdminTemplateMixin, TemplateView):
    """A report page, behind the report permission, under its index in the breadcrumbs."""

    permission_policy = None
    index_url_name = None
    report_url_name = None
    index_title = None
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not can_see_reports(request.user, self.permission_policy):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse(self.index_url_name), "label": self.index_title},
        ]


class ReportIndexView(ReportView):
    """The list of reports: the last crumb is the page itself."""

    def get_page_title(self):
        return self.index_title

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items()[:-1], {"url": "", "label": self.index_title}]
