from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BannersConfig(AppConfig):
    name = "banners"
    label = "omni_banners"
    verbose_name = _("Banners")
    default_auto_field = "django.db.models.BigAutoField"
