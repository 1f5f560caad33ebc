from django.utils.translation import gettext_lazy as _

from omni_plugin import wiring

from . import conf  # noqa: F401  (registers the app's settings)


class PosConfig(wiring.OmniAppConfig):
    name = "omni_plugin.pos"
    label = "omni_pos"
    verbose_name = _("POS API")

    def wire(self):
        from . import receivers  # noqa: F401
        from .alerts_section import waiting_alerts
        from .summary import register_section

        register_section("alerts", waiting_alerts)
