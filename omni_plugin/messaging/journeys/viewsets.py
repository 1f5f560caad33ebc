"""Journeys in the Wagtail admin: a snippet with its trigger's settings and its steps inline."""

from django.db.models import Count, Q
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.ui.tables import BooleanColumn, Column, UpdatedAtColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from omni_plugin.messaging.models import Journey, JourneyRun

from .forms import JourneyForm
from .validation import placeholders_help


class JourneyViewSet(SnippetViewSet):
    model = Journey
    icon = "time"
    menu_label = _("Journeys")
    menu_order = 270
    add_to_admin_menu = True
    list_display = [
        "name",
        Column("trigger", label=_("Trigger"), accessor="get_trigger_display"),
        BooleanColumn("live", label=_("Live")),
        Column("steps_summary", label=_("Steps")),
        Column("active_runs", label=_("Active runs"), sort_key="active_runs"),
        UpdatedAtColumn(),
    ]
    list_filter = ["trigger", "live"]
    search_fields = ["name"]
    search_backend_name = None
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("name"),
                    FieldPanel("trigger"),
                    FieldPanel("live"),
                    FieldPanel("min_views"),
                    FieldPanel("lookback_days"),
                    FieldPanel("min_drop_percent"),
                    FieldPanel("inactive_days"),
                    FieldPanel("order_status"),
                ],
                heading=_("Trigger"),
            ),
            ObjectList(
                [
                    InlinePanel(
                        "steps",
                        panels=[
                            FieldRowPanel(
                                [
                                    FieldPanel("delay"),
                                    FieldPanel("delay_unit"),
                                    FieldPanel("channel"),
                                ]
                            ),
                            FieldPanel("title"),
                            FieldPanel("body"),
                        ],
                        heading=_("Steps"),
                        label=_("Step"),
                        help_text=lazy(placeholders_help, str)(),
                    )
                ],
                heading=_("Steps"),
            ),
        ],
        base_form_class=JourneyForm,
    )

    def get_queryset(self, request):
        active = Q(runs__status=JourneyRun.Status.ACTIVE)
        return Journey.objects.annotate(active_runs=Count("runs", filter=active)).prefetch_related(
            "steps"
        )


journey_viewset = JourneyViewSet()
