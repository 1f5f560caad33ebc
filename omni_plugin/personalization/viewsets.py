"""Segments in the Wagtail admin: a snippet listing, an editor with a live count, preview."""

from django.db.models import Count
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, UpdatedAtColumn
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import EditView, SnippetViewSet

from .admin_views import count_view, preview_view
from .models import Segment
from .panels import LiveCountPanel


class SegmentEditView(EditView):
    segment_preview_url_name = None

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        buttons.append(
            Button(
                _("Preview the site as this segment"),
                url=reverse(self.segment_preview_url_name, args=[self.object.pk]),
                icon_name="view",
                priority=5,
                attrs={"target": "_blank", "rel": "noopener"},
            )
        )
        return buttons


class SegmentViewSet(SnippetViewSet):
    model = Segment
    icon = "group"
    menu_label = _("Segments")
    menu_order = 260
    add_to_admin_menu = True
    edit_view_class = SegmentEditView
    list_display = [
        "name",
        Column("match", label=_("Match"), accessor="get_match_display"),
        Column("rule_count", label=_("Rules")),
        Column("member_count", label=_("Members"), sort_key="member_count"),
        "active",
        UpdatedAtColumn(),
    ]
    list_filter = ["active", "match"]
    search_fields = ["name", "description"]
    search_backend_name = None
    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("match"),
        FieldPanel("rules"),
        LiveCountPanel(heading=_("Matching customers")),
        FieldPanel("active"),
    ]

    def get_queryset(self, request):
        return Segment.objects.annotate(member_count=Count("memberships"))

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(
            segment_preview_url_name=self.get_url_name("segment_preview"), **kwargs
        )

    def get_urlpatterns(self):
        form_class = self.get_edit_handler().get_form_class()
        return [
            *super().get_urlpatterns(),
            path("count/", count_view(form_class, self.permission_policy), name="count"),
            path(
                "preview/<int:pk>/",
                preview_view(self.permission_policy),
                name="segment_preview",
            ),
        ]


segment_viewset = SegmentViewSet()
