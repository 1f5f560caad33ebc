"""The customer list and a customer's profile page."""

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms.search import SearchForm
from wagtail.admin.ui.components import MediaContainer
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.widgets.button import Button

from omni_plugin.core.models import Profile

from . import panels
from .search import search_profiles

PANELS_HOOK = "construct_omni_profile_panels"


class CustomerIndexView(IndexView):
    """Profiles in use (not merged away, not erased), found by their identifiers."""

    any_permission_required = ["view"]
    is_searchable = True

    def get_base_queryset(self):
        in_use = Profile.objects.filter(merged_into__isnull=True, erased_at__isnull=True)
        return in_use.prefetch_related("consents")

    def get_search_form(self):
        placeholder = _("Email, phone, loyalty card, POS id or #id")
        if self.search_kwarg in self.request.GET:
            return SearchForm(self.request.GET, placeholder=placeholder)
        return SearchForm(placeholder=placeholder)

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return search_profiles(queryset, self.search_query)


class CustomerInspectView(InspectView):
    """Everything known about one profile, and the way to its export and erasure."""

    any_permission_required = ["view"]
    template_name = "omni/core/admin/inspect.html"
    export_url_name = None
    erase_url_name = None
    undo_merge_url_name = None
    inspect_url_name = None

    @cached_property
    def header_more_buttons(self):
        buttons = [
            Button(
                _("Export JSON"),
                url=reverse(self.export_url_name, args=[self.object.pk]),
                icon_name="download",
                priority=10,
            )
        ]
        if self.user_has_permission("delete") and not self.object.erased_at:
            buttons.append(
                Button(
                    _("Erase"),
                    url=reverse(self.erase_url_name, args=[self.object.pk]),
                    icon_name="bin",
                    priority=20,
                )
            )
        return buttons

    def get_panels(self):
        profile = self.object
        may_undo = self.user_has_permission("change") and not profile.erased_at
        profile_panels = [
            panels.IdentifiersPanel(profile),
            panels.ConsentsPanel(profile),
            panels.AffinitiesPanel(profile),
            panels.OrdersPanel(profile),
            panels.BasketPanel(profile),
            panels.RecentProductsPanel(profile),
            panels.MergesPanel(
                profile,
                inspect_url_name=self.inspect_url_name,
                undo_url_name=self.undo_merge_url_name if may_undo else None,
            ),
            panels.TimelinePanel(profile, page_number=self.request.GET.get("p")),
        ]
        for construct_panels in hooks.get_hooks(PANELS_HOOK):
            construct_panels(self.request, profile, profile_panels)
        return sorted(profile_panels, key=lambda panel: panel.order)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["panels"] = self.get_panels()
        context["media"] = MediaContainer(context["panels"]).media
        if merged_into := self.object.merged_into_id:
            context["merged_into_url"] = reverse(self.inspect_url_name, args=[merged_into])
        return context
