"""What staff do to a profile from its page: download its data, erase it, undo a merge.

Erasing and undoing ask for confirmation on GET and act on POST, like Wagtail's own
delete and unpublish views.
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import (
    BaseObjectMixin,
    BaseOperationView,
    WagtailAdminTemplateMixin,
)
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permissions import policy_registry

from omni_plugin.core import gdpr
from omni_plugin.core.models import Merge, Profile

from ..merging import MergeError, root_of, undo


class ExportView(PermissionCheckedMixin, BaseObjectMixin, View):
    """The profile's data (the whole person's, merged profiles included) as a JSON file."""

    model = Profile
    permission_required = "view"

    def get(self, request, *args, **kwargs):
        response = JsonResponse(
            gdpr.export_profile(self.object),
            encoder=DjangoJSONEncoder,
            json_dumps_params={"indent": 2, "ensure_ascii": False},
        )
        response["Content-Disposition"] = (
            f'attachment; filename="customer-profile-{self.object.pk}.json"'
        )
        return response


class ConfirmedOperationView(PermissionCheckedMixin, WagtailAdminTemplateMixin, BaseOperationView):
    """A confirmation page on GET; the operation, a message and a redirect on POST."""

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def get_breadcrumbs_items(self):
        return []

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["action_url"] = self.request.path
        context["cancel_url"] = self.get_cancel_url()
        return context


class EraseView(ConfirmedOperationView):
    model = Profile
    permission_required = "delete"
    template_name = "omni/core/admin/confirm_erase.html"
    page_title = gettext_lazy("Erase")
    header_icon = "bin"
    index_url_name = None
    inspect_url_name = None

    def perform_operation(self):
        self.erasure = gdpr.erase_profile(self.object)

    def get_success_message(self):
        erasure = self.erasure
        return _(
            "%(profiles)s erased: %(identifiers)d identifiers and %(consents)d consents "
            "deleted, %(events)d events made anonymous."
        ) % {
            "profiles": ", ".join(f"#{profile_id}" for profile_id in erasure.profile_ids),
            "identifiers": erasure.identifiers,
            "consents": erasure.consents,
            "events": erasure.events,
        }

    def get_success_url(self):
        return reverse(self.index_url_name)

    def get_cancel_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["root_id"] = root_of(self.object.pk)
        return context


class UndoMergeView(ConfirmedOperationView):
    """Undo one merge: the merged profile gets back its identifiers, consents and events."""

    model = Merge
    permission_required = "change"
    template_name = "omni/core/admin/confirm_undo_merge.html"
    page_title = gettext_lazy("Undo merge")
    header_icon = "resubmit"
    inspect_url_name = None

    @cached_property
    def permission_policy(self):
        return policy_registry.get_by_type(Profile)

    def get_page_subtitle(self):
        return _("Profile #%(merged)s out of profile #%(survivor)s") % {
            "merged": self.object.merged_id,
            "survivor": self.object.survivor_id,
        }

    def get(self, request, *args, **kwargs):
        if self.object.undone_at:
            messages.error(request, self.already_undone_message())
            return redirect(self.get_cancel_url())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except MergeError as error:  # undone meanwhile, from another page or by another user
            messages.error(request, str(error))
            return redirect(self.get_cancel_url())

    def perform_operation(self):
        undo(self.object)

    def already_undone_message(self):
        return _("This merge was already undone on %(date)s.") % {
            "date": self.object.undone_at.strftime("%Y-%m-%d")
        }

    def get_success_message(self):
        return _(
            "Merge undone: profile #%(merged)s has its identifiers, consents and events back."
        ) % {"merged": self.object.merged_id}

    def get_success_url(self):
        return reverse(self.inspect_url_name, args=[self.object.merged_id])

    def get_cancel_url(self):
        return reverse(self.inspect_url_name, args=[self.object.survivor_id])
