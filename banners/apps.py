from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BannersConfig(AppConfig):
    name = "banners"
    label = "omni_banners"
    verbose_name = _("Banners")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.apps import apps

        # Without Wagtail there are no banners (check omni.E002 says why), and without
        # Oscar no orders to attribute (omni.E001).
        if not apps.is_installed("wagtail"):
            return
        from omni_plugin.context import register_response_hook

        from . import compiled, purging  # noqa: F401  (their receivers forget and purge)
        from .edge import mark_esi_page

        register_response_hook(mark_esi_page)

        if apps.is_installed("oscar"):
            from . import receivers  # noqa: F401
            from .variant_key import refresh_cookie

            register_response_hook(refresh_cookie)
