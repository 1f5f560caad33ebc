"""Edit-form panels: how many subscriptions the campaign reaches, before it is sent."""

from django.urls import reverse
from wagtail.admin.panels import Panel

from .audience import estimate


class AudienceEstimatePanel(Panel):
    """The subscriptions the campaign targets, those its frequency cap skips, and the rest.

    Shown for the saved campaign, then counted again from the form as the editor changes it.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "omni/push/admin/estimate_panel.html"

        class Media:
            js = ["omni/push/admin/estimate.js"]

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            saved = type(self.instance).objects.filter(pk=self.instance.pk).first()
            context["estimate"] = estimate(saved) if saved else None
            context["url"] = self.estimate_url(saved)
            return context

        def estimate_url(self, saved):
            viewset = type(self.instance).snippet_viewset
            if saved is None:
                return reverse(viewset.get_url_name("estimate_new"))
            return reverse(viewset.get_url_name("estimate"), args=[saved.pk])
