"""Edit-form panels: how many renderings a slot can produce, shown before publishing."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from omni_plugin.conf import omni_settings

from .models import Banner, Slot
from .variant_count import banners_in_slot, count_renderings, latest_drafts

HELP_TEXT = _(
    "The edge cache keeps one copy of a slot for each combination its banners' targeting can "
    "tell apart: (segments + 1) × (countries, regions, cities and store areas + 1) × (device "
    "classes + 1, at most 3) × (day and hour windows + 1) × the arms of each A/B test, holdout "
    "included. Counted from the latest drafts, so before anything is published."
)


class RenderingsPanel(Panel):
    """Base: lists ``(slot name, renderings)`` pairs with a warning above the setting."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "omni/banners/admin/renderings_panel.html"

        def slot_renderings(self):
            raise NotImplementedError

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            limit = omni_settings.BANNER_VARIANTS_WARNING
            context["help_text"] = HELP_TEXT
            context["limit"] = limit
            context["slots"] = [
                {"name": name, "renderings": renderings, "too_many": renderings.total > limit}
                for name, renderings in self.slot_renderings()
            ]
            return context


class SlotRenderingsPanel(RenderingsPanel):
    """On a slot: the renderings of the banners now on the form."""

    class BoundPanel(RenderingsPanel.BoundPanel):
        def slot_renderings(self):
            banner_ids = _banner_ids_on_form(self.form)
            placed = Banner.objects.filter(pk__in=banner_ids).select_related("latest_revision")
            return [(self.instance.name or _("This slot"), count_renderings(latest_drafts(placed)))]


class BannerRenderingsPanel(RenderingsPanel):
    """On a banner: the renderings of every slot it is in, with this banner as on the form."""

    class BoundPanel(RenderingsPanel.BoundPanel):
        def slot_renderings(self):
            if not self.instance.pk:
                return []
            slots = Slot.objects.filter(placements__banner=self.instance).distinct()
            return [
                (slot.name, count_renderings(banners_in_slot(slot, replacing=self.instance)))
                for slot in slots
            ]


def _banner_ids_on_form(form):
    """The banners of the slot form's placements, as posted when bound, else as saved."""
    forms = form.formsets["placements"].forms
    if not form.is_bound:
        return [row.instance.banner_id for row in forms if row.instance.banner_id]
    rows = [getattr(row, "cleaned_data", None) or {} for row in forms]
    return [row["banner"].pk for row in rows if row.get("banner") and not row.get("DELETE")]
