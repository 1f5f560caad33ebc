from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class PushConfig(AppConfig):
    name = "push"
    label = "omni_push"
    verbose_name = _("Web push")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .checks import check_vapid

        if self.apps.is_installed("wagtail"):  # campaigns need it; omni.E002 explains otherwise
            from . import receivers  # noqa: F401

        checks.register(check_vapid)
