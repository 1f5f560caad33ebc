"""The customer's "In store" account page: a fresh QR code that identifies them at a till."""

from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import generic
from django.views.decorators.cache import never_cache
from oscar.core.loading import get_class

from omni_plugin.conf import omni_settings
from omni_plugin.core.privacy.customers import claim_profile_id

from . import qr

PageTitleMixin = get_class("customer.mixins", "PageTitleMixin")


@method_decorator(never_cache, name="dispatch")
class StoreCodeView(PageTitleMixin, generic.TemplateView):
    """A fresh single-use QR code for the till, each time the page is shown."""

    template_name = "omni/pos/store_code.html"
    page_title = _("In store")
    active_tab = "store-code"

    def get_context_data(self, **kwargs):
        token = qr.issue_token(claim_profile_id(self.request))
        return super().get_context_data(
            qr_svg=qr.qr_svg(token),
            lifetime_minutes=max(omni_settings.POS_QR_LIFETIME // 60, 1),
            **kwargs,
        )
