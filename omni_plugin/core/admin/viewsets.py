"""The "Customers" area of the Wagtail admin, as one ModelViewSet.

Profiles come from events, so the area has no create, edit, copy or delete views: it
lists and inspects profiles, and adds the actions staff take on them.
"""

from django.contrib.auth import get_permission_codename
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import ModelAdminURLFinder

from omni_plugin.core.models import Merge, Profile

from .actions import EraseView, ExportView, UndoMergeView
from .columns import customer_columns
from .read_only import ListAndInspectViewSet
from .views import CustomerIndexView, CustomerInspectView


class CustomerViewSet(ListAndInspectViewSet):
    model = Profile
    icon = "group"
    menu_label = _("Customers")
    menu_order = 250
    inspect_view_fields = ["created_at", "last_seen"]
    index_view_class = CustomerIndexView
    inspect_view_class = CustomerInspectView
    list_display = ["__str__", *customer_columns()]
    ordering = "-last_seen"

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            export_url_name=self.get_url_name("export"),
            erase_url_name=self.get_url_name("erase"),
            undo_merge_url_name=self.get_url_name("undo_merge"),
            **kwargs,
        )

    @property
    def export_view(self):
        return self.construct_view(ExportView)

    @property
    def erase_view(self):
        return self.construct_view(EraseView, inspect_url_name=self.get_url_name("inspect"))

    @property
    def undo_merge_view(self):
        return self.construct_view(
            UndoMergeView, model=Merge, inspect_url_name=self.get_url_name("inspect")
        )

    def get_action_urlpatterns(self):
        return [
            path("<int:pk>/export/", self.export_view, name="export"),
            path("<int:pk>/erase/", self.erase_view, name="erase"),
            path("merges/<int:pk>/undo/", self.undo_merge_view, name="undo_merge"),
        ]

    @property
    def url_finder_class(self):
        inspect = self.get_url_name("inspect")
        return type("CustomerURLFinder", (ModelAdminURLFinder,), {"edit_url_name": inspect})

    def get_permissions_to_register(self):
        """View to open the area, change to undo merges, delete to erase; never add."""
        add = get_permission_codename("add", self.model_opts)
        return super().get_permissions_to_register().exclude(codename=add)


customer_viewset = CustomerViewSet("customers")
