from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoresConfig(AppConfig):
    name = "stores"
    label = "omni_stores"
    verbose_name = _("Stores")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from omni_plugin.snapshot import register_fold

        from .chosen import fold_store_chosen
        from .partners import connect_receivers

        register_fold(fold_store_chosen)
        connect_receivers()
