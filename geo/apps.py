from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "geo"
    label = "omni_geo"
    verbose_name = _("Geo and device")
    default_auto_field = "django.db.models.BigAutoField"
