"""Admin components: the live count on the segment form, the segments on a profile's page."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from omni_plugin.core.admin.panels import ProfilePanel

from .memberships import refresh_memberships
from .models import SegmentMembership


class LiveCountPanel(Panel):
    """How many customers the rules on the form match, updated as the editor changes them."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "omni/personalization/admin/live_count_panel.html"

        def get_context_data(self, parent_context=None):
            from .viewsets import segment_viewset

            context = super().get_context_data(parent_context)
            context["count_url"] = segment_viewset.get_url_name("count")
            return context


class SegmentsProfilePanel(ProfilePanel):
    """The segments a profile is in, and why, refreshed when the page is opened."""

    name = "segments"
    heading = _("Segments")
    order = 250
    template_name = "omni/personalization/admin/segments_panel.html"

    def get_panel_data(self):
        refresh_memberships([self.profile.pk])
        memberships = SegmentMembership.objects.filter(profile=self.profile).select_related(
            "segment"
        )
        return {"memberships": memberships.order_by("segment__name")}
