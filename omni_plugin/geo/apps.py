from django.core import checks
from django.utils.translation import gettext_lazy as _

from omni_plugin import wiring

from . import conf  # noqa: F401  (registers the app's settings)


class GeoConfig(wiring.OmniAppConfig):
    name = "omni_plugin.geo"
    label = "omni_geo"
    verbose_name = _("Geo and device")

    def wire(self):
        from .checks import check_geoip_database

        checks.register(check_geoip_database)
