from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OmniConfig(AppConfig):
    """The hub: it mounts the apps' URLs, schedules their tasks and checks the install."""

    name = "omni_plugin"
    label = "omni_hub"
    verbose_name = _("Oscar Omni")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
