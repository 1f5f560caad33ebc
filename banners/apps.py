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
        from . import compiled  # noqa: F401  (its receivers forget the compiled banners)

        if apps.is_installed("oscar"):
            from . import receivers  # noqa: F401
