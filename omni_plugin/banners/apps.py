from django.utils.translation import gettext_lazy as _

from omni_plugin import wiring

from . import conf  # noqa: F401  (registers the app's settings)


class BannersConfig(wiring.OmniAppConfig):
    name = "omni_plugin.banners"
    label = "omni_banners"
    verbose_name = _("Banners")

    def wire(self):
        from omni_plugin.core.context import register_response_hook

        from . import compiled, purging, receivers  # noqa: F401  (their receivers)
        from .content import providers
        from .edge import mark_esi_page
        from .store_content import back_in_stock_products, collect_nearby_products
        from .variant_key import refresh_cookie

        register_response_hook(mark_esi_page)
        register_response_hook(refresh_cookie)
        providers.register("collect_nearby", collect_nearby_products)
        providers.register("back_in_stock", back_in_stock_products)
