from django.utils.translation import gettext_lazy as _

from omni_plugin import wiring

from . import conf  # noqa: F401  (registers the app's settings)


class CoreConfig(wiring.OmniAppConfig):
    name = "omni_plugin.core"
    label = "omni_plugin"  # older than the split into apps: it names the profile tables
    verbose_name = _("Customer profiles")

    def wire(self):
        from . import receivers  # noqa: F401
