from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class StoresConfig(AppConfig):
    name = "stores"
    label = "omni_stores"
    verbose_name = _("Stores")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.apps import apps

        from omni_plugin.snapshot import register_fold

        from .checks import check_pickup_journey
        from .chosen import fold_store_chosen
        from .partners import connect_receivers

        register_fold(fold_store_chosen)
        connect_receivers()
        # Alerts need Oscar's stock and Wagtail's stores; checks omni.E001 and E002 say why.
        if apps.is_installed("oscar") and apps.is_installed("wagtail"):
            from .alerts.pos_summary import register as register_pos_section
            from .alerts.receivers import connect_receivers as connect_alert_receivers

            connect_alert_receivers()
            register_pos_section()
            if apps.is_installed("banners"):
                from .banner_content import register_providers

                register_providers()
        checks.register(check_pickup_journey, checks.Tags.database)
