"""Banners in the Wagtail admin: banner and slot snippets, and the reports, in one menu."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel, PublishingPanel
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn, UpdatedAtColumn
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import EditView, SnippetViewSet, SnippetViewSetGroup

from omni_plugin.core.admin.reports import ReportViewSet

from .models import Banner, Slot
from .panels import BannerRenderingsPanel, SlotRenderingsPanel
from .report_views import BannerReportIndexView, BannerReportView


def _slot_names(banner):
    return ", ".join(placement.slot.name for placement in banner.placements.all())


def _banner_names(slot):
    return ", ".join(placement.banner.name for placement in slot.placements.all())


class BannerEditView(EditView):
    report_url_name = None

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        buttons.append(
            Button(
                _("Report"),
                url=reverse(self.report_url_name, args=[self.object.pk]),
                icon_name="table",
                priority=5,
            )
        )
        return buttons


class BannerViewSet(SnippetViewSet):
    model = Banner
    icon = "image"
    menu_label = _("Banners")
    edit_view_class = BannerEditView
    list_display = [
        "name",
        LiveStatusTagColumn(),
        Column("variant_count", label=_("Variants"), accessor=lambda banner: len(banner.variants)),
        Column("slots", label=_("In slots"), accessor=_slot_names),
        UpdatedAtColumn(),
    ]
    list_filter = ["live", "choice"]
    search_fields = ["name"]
    search_backend_name = None
    panels = [
        FieldPanel("name"),
        FieldPanel("choice"),
        FieldPanel("variants"),
        FieldPanel("holdout_percent"),
        FieldPanel("frequency_cap"),
        BannerRenderingsPanel(heading=_("Renderings of the slots it is in")),
        PublishingPanel(),
    ]

    def get_queryset(self, request):
        return Banner.objects.prefetch_related("placements__slot")

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(
            report_url_name=report_viewset.get_url_name("banner"), **kwargs
        )


class SlotViewSet(SnippetViewSet):
    model = Slot
    icon = "placeholder"
    menu_label = _("Slots")
    list_display = [
        "name",
        Column("key", label=_("Template name")),
        Column("banner_names", label=_("Banners"), accessor=_banner_names),
        UpdatedAtColumn(),
    ]
    search_fields = ["name", "key"]
    search_backend_name = None
    panels = [
        FieldPanel("name"),
        FieldPanel("key"),
        FieldPanel("render_mode"),
        InlinePanel(
            "placements",
            panels=[FieldPanel("banner")],
            heading=_("Banners, first tried first"),
            label=_("Banner"),
        ),
        SlotRenderingsPanel(heading=_("Renderings")),
    ]

    def get_queryset(self, request):
        return Slot.objects.prefetch_related("placements__banner")


class BannerReportViewSet(ReportViewSet):
    """The reports: a list of banners with their totals, and a page per banner."""

    name = "banner_reports"
    url_prefix = "banner-reports"

    def get_urlpatterns(self):
        common = self.report_view_kwargs("banner")
        return [
            path("", BannerReportIndexView.as_view(**common), name="index"),
            path(
                "<int:pk>/",
                BannerReportView.as_view(
                    edit_url_name=banner_viewset.get_url_name("edit"), **common
                ),
                name="banner",
            ),
        ]


banner_viewset = BannerViewSet()
slot_viewset = SlotViewSet()
report_viewset = BannerReportViewSet(snippet_viewset=banner_viewset)


class BannersViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Banners")
    menu_icon = "image"
    menu_order = 270
    items = (banner_viewset, slot_viewset, report_viewset)
