from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OmniPluginConfig(AppConfig):
    name = "omni_plugin"
    label = "omni_plugin"
    verbose_name = _("Oscar Omni")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.apps import apps

        from . import checks  # noqa: F401  (registers the system checks)

        # Without Oscar there is nothing to receive, and check omni.E001 says why.
        if apps.is_installed("oscar"):
            from . import receivers  # noqa: F401
            from .messaging import receivers as messaging_receivers  # noqa: F401

            if apps.is_installed("wagtail"):
                from .messaging.journeys import receivers as journey_receivers  # noqa: F401
            if apps.is_installed("push") and apps.is_installed("wagtail"):
                from .messaging import push_outcomes  # noqa: F401
            if apps.is_installed("stores") and apps.is_installed("wagtail"):
                from .pos import receivers as pos_receivers  # noqa: F401
