from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonalizationConfig(AppConfig):
    name = "personalization"
    label = "omni_personalization"
    verbose_name = _("Personalisation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from omni_plugin.snapshot import register_fold

        from . import receivers  # noqa: F401
        from .evidence import fold_event

        register_fold(fold_event)
