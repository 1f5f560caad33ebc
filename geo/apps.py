from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "geo"
    label = "omni_geo"
    verbose_name = _("Geo and device")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .checks import check_geoip_database

        checks.register(check_geoip_database)
