"""The base of every Oscar Omni app's configuration.

The apps work together: each one wires its receivers, hooks and registry entries only
when Oscar, Wagtail and all of Oscar Omni's apps are installed. Otherwise nothing is
imported that could fail, and the system checks omni.E001 to omni.E003 say what is missing.
"""

from importlib import import_module

from django.apps import AppConfig, apps
from django.core.checks import Error, register

from . import OMNI_APPS

PREREQUISITES = ("oscar", "wagtail")


def everything_installed():
    return all(apps.is_installed(name) for name in (*PREREQUISITES, *OMNI_APPS))


def import_admin_hooks(package):
    """Wagtail imports the ``wagtail_hooks`` module of every installed app: an Oscar Omni
    app's hooks live in its ``admin_hooks`` instead, imported only when it can be wired."""
    if everything_installed():
        import_module(f"{package}.admin_hooks")


class OmniAppConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        register(check_installed_apps)
        if everything_installed():
            self.wire()

    def wire(self):
        """Connects the app's receivers and checks, and fills the registries below it."""


def check_installed_apps(app_configs, **kwargs):
    errors = []
    if not apps.is_installed("oscar"):
        errors.append(
            Error(
                "django-oscar is not installed: add 'oscar.config.Shop' and Oscar's apps "
                "to INSTALLED_APPS, as Oscar's documentation lists them.",
                id="omni.E001",
            )
        )
    if not apps.is_installed("wagtail"):
        errors.append(
            Error(
                "Wagtail is not installed: add 'wagtail' and its apps (wagtail.admin, "
                "wagtail.snippets, wagtail.images, ...) to INSTALLED_APPS.",
                id="omni.E002",
            )
        )
    missing = [name for name in OMNI_APPS if not apps.is_installed(name)]
    if missing:
        errors.append(
            Error(
                f"Oscar Omni's apps work together and {', '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} missing from INSTALLED_APPS: "
                "add them all with *OMNI_APPS.",
                id="omni.E003",
            )
        )
    return errors
