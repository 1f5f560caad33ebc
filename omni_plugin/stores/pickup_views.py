"""Click and collect orders in the Wagtail admin: the listing, and the steps staff take.

Marking ready or collected asks for confirmation on GET and acts on POST, like Wagtail's
own delete view; a step that does not fit where the pickup stands is refused with a
message and changes nothing.
"""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import BaseOperationView, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from .models import OrderPickup
from .pickup_lifecycle import PickupError, mark_collected, mark_ready

#: What staff can do to a pickup in each status: (URL name, label, icon).
NEXT_STEPS = {
    OrderPickup.Status.AWAITING: ("mark_ready", gettext_lazy("Mark ready"), "tick"),
    OrderPickup.Status.READY: ("mark_collected", gettext_lazy("Mark collected"), "tick-inverse"),
}


class PickupIndexView(IndexView):
    """The click and collect orders, newest first, each with the step it waits for."""

    step_url_names = None

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("order")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status in NEXT_STEPS and self.user_has_permission("change"):
            name, label, icon = NEXT_STEPS[instance.status]
            url = reverse(self.step_url_names[name], args=[instance.pk])
            buttons.insert(0, MenuItem(label, url=url, icon_name=icon, priority=5))
        return buttons


class PickupStepView(PermissionCheckedMixin, WagtailAdminTemplateMixin, BaseOperationView):
    """A confirmation page on GET; the step, a message and the listing on POST."""

    model = OrderPickup
    permission_required = "change"
    template_name = "omni/stores/admin/confirm_pickup_step.html"
    index_url_name = None

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except PickupError as error:
            messages.error(request, str(error))
            return redirect(self.get_success_url())

    def get_breadcrumbs_items(self):
        return []

    def get_page_subtitle(self):
        return _("Order %(order)s at %(store)s") % {
            "order": self.object.order.number,
            "store": self.object.store_name,
        }

    def get_success_url(self):
        return self.next_url or reverse(self.index_url_name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["action_url"] = self.request.get_full_path()
        context["cancel_url"] = self.get_success_url()
        context["confirm_label"] = self.page_title
        context["explanation"] = self.explanation
        return context


class MarkReadyView(PickupStepView):
    page_title = gettext_lazy("Mark ready")
    header_icon = "tick"
    explanation = gettext_lazy(
        "The order moves to its “ready” status and the customer is told it can be collected. "
        "It is kept at the store for the hold; if nobody collects it by then, it expires and "
        "its stock is released."
    )

    def perform_operation(self):
        mark_ready(self.object)

    def get_success_message(self):
        return _("Order %(order)s is ready for collection at %(store)s.") % {
            "order": self.object.order.number,
            "store": self.object.store_name,
        }


class MarkCollectedView(PickupStepView):
    page_title = gettext_lazy("Mark collected")
    header_icon = "tick-inverse"
    explanation = gettext_lazy(
        "The customer has taken the order: it moves to its “collected” status and its "
        "items leave the store's stock."
    )

    def perform_operation(self):
        mark_collected(self.object)

    def get_success_message(self):
        return _("Order %(order)s was collected at %(store)s.") % {
            "order": self.object.order.number,
            "store": self.object.store_name,
        }
