"""The "Pickups" area of the Wagtail admin, as one ModelViewSet.

Pickups are made by the checkout and moved on by staff steps, so the area has no create,
edit, copy or delete views: it lists and inspects them, and adds "Mark ready" and "Mark
collected".
"""

from django.contrib.auth import get_permission_codename
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn

from omni_plugin.core.admin.read_only import ListAndInspectViewSet

from .models import OrderPickup
from .pickup_views import MarkCollectedView, MarkReadyView, PickupIndexView


class PickupViewSet(ListAndInspectViewSet):
    model = OrderPickup
    icon = "tasks"
    menu_label = _("Pickups")
    menu_order = 291  # right after Stores
    inspect_view_fields = [
        "order",
        "store_name",
        "store_code",
        "store_address",
        "store_phone",
        "status",
        "ready_at",
        "collected_at",
        "expires_at",
    ]
    index_view_class = PickupIndexView
    list_display = [
        "order",
        Column("store_name", label=_("Store")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        DateColumn("ready_at", label=_("Ready at")),
        DateColumn("expires_at", label=_("Kept until")),
    ]
    list_filter = ["store", "status"]
    ordering = "-order__date_placed"

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            step_url_names={
                name: self.get_url_name(name) for name in ("mark_ready", "mark_collected")
            },
            **kwargs,
        )

    @property
    def mark_ready_view(self):
        return self.construct_view(MarkReadyView, index_url_name=self.get_url_name("index"))

    @property
    def mark_collected_view(self):
        return self.construct_view(MarkCollectedView, index_url_name=self.get_url_name("index"))

    def get_action_urlpatterns(self):
        return [
            path("<int:pk>/ready/", self.mark_ready_view, name="mark_ready"),
            path("<int:pk>/collected/", self.mark_collected_view, name="mark_collected"),
        ]

    def get_permissions_to_register(self):
        """View to list pickups, change to take their steps; never add nor delete here."""
        excluded = [
            get_permission_codename(action, self.model_opts) for action in ("add", "delete")
        ]
        return super().get_permissions_to_register().exclude(codename__in=excluded)


pickup_viewset = PickupViewSet("pickups")
