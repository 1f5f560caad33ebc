"""A ModelViewSet for records the shop makes itself: listed and inspected, never added,
edited or copied in the admin. Subclasses add the actions staff take on them."""

from django.urls import path
from wagtail.admin.viewsets.model import ModelViewSet


class ListAndInspectViewSet(ModelViewSet):
    add_to_admin_menu = True
    # Nothing refers to these records from Wagtail content: indexing references on each
    # save would cost a query per write for nothing.
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 50

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
            *self.get_action_urlpatterns(),
        ]

    def get_action_urlpatterns(self):
        """The URLs of the actions staff take on a record."""
        return []
