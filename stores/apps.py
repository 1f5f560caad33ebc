from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoresConfig(AppConfig):
    name = "stores"
    label = "omni_stores"
    verbose_name = _("Stores")
    default_auto_field = "django.db.models.BigAutoField"
