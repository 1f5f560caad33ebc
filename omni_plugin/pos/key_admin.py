"""The tills' API keys in the Wagtail admin: listed, made (the key is shown once, on the
page that makes it), inspected with their last calls, and revoked. Never edited: a key
whose scopes should change is revoked and replaced."""

from django import forms
from django.contrib.auth import get_permission_codename
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import CreateView, IndexView

from omni_plugin.core.admin.actions import ConfirmedOperationView
from omni_plugin.core.admin.read_only import ListAndInspectViewSet

from .keys import issue_key, revoke
from .models import PosApiKey


class PosApiKeyForm(WagtailAdminModelForm):
    scopes = forms.MultipleChoiceField(
        choices=PosApiKey.Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = PosApiKey
        fields = ["store", "till", "scopes"]


class CreatePosApiKeyView(CreateView):
    """Makes the key and shows it, once: only its hash is kept."""

    def save_instance(self):
        data = self.form.cleaned_data
        self.instance, self.key = issue_key(data["store"], scopes=data["scopes"], till=data["till"])
        return self.instance

    def form_valid(self, form):
        self.form = form
        self.save_instance()
        return TemplateResponse(
            self.request,
            "omni/core/admin/pos_key_created.html",
            {
                "key": self.key,
                "record": self.instance,
                "index_url": reverse(self.index_url_name),
                "header_title": _("New POS API key"),
                "page_title": _("New POS API key"),
                "breadcrumbs_items": [],
            },
        )


class PosApiKeyIndexView(IndexView):
    """The keys, newest first, each still in use with "Revoke" in its menu."""

    revoke_url_name = None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.revoked_at is None and self.user_has_permission("change"):
            url = reverse(self.revoke_url_name, args=[instance.pk])
            buttons.insert(0, MenuItem(_("Revoke"), url=url, icon_name="cross", priority=5))
        return buttons


class RevokeView(ConfirmedOperationView):
    model = PosApiKey
    permission_required = "change"
    template_name = "omni/core/admin/confirm_revoke_key.html"
    page_title = gettext_lazy("Revoke")
    header_icon = "cross"
    index_url_name = None

    def perform_operation(self):
        revoke(self.object)

    def get_success_message(self):
        return _("Key %(key)s is revoked: calls with it are refused from now on.") % {
            "key": self.object.prefix
        }

    def get_success_url(self):
        return reverse(self.index_url_name)

    def get_cancel_url(self):
        return reverse(self.index_url_name)


class PosApiKeyViewSet(ListAndInspectViewSet):
    model = PosApiKey
    icon = "key"
    menu_label = gettext_lazy("POS API keys")
    menu_order = 292  # after Stores and Pickups
    add_view_class = CreatePosApiKeyView
    index_view_class = PosApiKeyIndexView
    form_fields = ["store", "till", "scopes"]
    inspect_view_fields = [
        "prefix",
        "store",
        "till",
        "scopes",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_display = [
        "prefix",
        "store",
        "till",
        Column("scopes", label=gettext_lazy("Scopes"), accessor=lambda key: ", ".join(key.scopes)),
        DateColumn("last_used_at", label=gettext_lazy("Last used")),
        DateColumn("revoked_at", label=gettext_lazy("Revoked")),
    ]
    list_filter = ["store"]

    def get_form_class(self, for_update=False):
        return PosApiKeyForm

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(revoke_url_name=self.get_url_name("revoke"), **kwargs)

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(**kwargs) | {"add_url_name": self.get_url_name("add")}

    @property
    def revoke_view(self):
        return self.construct_view(RevokeView, index_url_name=self.get_url_name("index"))

    def get_permissions_to_register(self):
        """Add to make keys, change to revoke them, view to list them; never delete here."""
        delete = get_permission_codename("delete", self.model_opts)
        return super().get_permissions_to_register().exclude(codename=delete)

    def get_action_urlpatterns(self):
        return [
            path("new/", self.add_view, name="add"),
            path("<int:pk>/revoke/", self.revoke_view, name="revoke"),
        ]


pos_api_key_viewset = PosApiKeyViewSet("pos-keys")
