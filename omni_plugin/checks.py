"""System checks: every misconfiguration of the plugin explained in one sentence.

``docs/settings.md`` lists each check id with its fix.
"""

import difflib

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.urls import NoReverseMatch, resolve, reverse

from . import OMNI_APPS
from .conf import PREFIX, SETTINGS, omni_settings

MIDDLEWARE = "omni_plugin.middleware.OmniMiddleware"
MIDDLEWARE_PREREQUISITES = {
    "django.contrib.sessions.middleware.SessionMiddleware": "session",
    "django.contrib.auth.middleware.AuthenticationMiddleware": "user",
}
DUMMY_CACHE = "django.core.cache.backends.dummy.DummyCache"
NOT_SETTINGS = {"OMNI_APPS"}  # imported into settings modules by the install instructions


@register()
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


@register()
def check_middleware(app_configs, **kwargs):
    middleware = list(settings.MIDDLEWARE)
    if MIDDLEWARE not in middleware:
        return [
            Error(
                f"'{MIDDLEWARE}' is missing from MIDDLEWARE: add it after "
                "AuthenticationMiddleware.",
                id="omni.E004",
            )
        ]
    position = middleware.index(MIDDLEWARE)
    return [
        Error(
            f"OmniMiddleware must come after {path.rsplit('.', 1)[1]} in MIDDLEWARE, "
            f"because it reads the {what} that one sets up.",
            id="omni.E005",
        )
        for path, what in MIDDLEWARE_PREREQUISITES.items()
        if path not in middleware[:position]
    ]


@register()
def check_settings(app_configs, **kwargs):
    errors = []
    for name, setting in SETTINGS.items():
        if hasattr(settings, PREFIX + name):
            problem = setting.validate(getattr(settings, PREFIX + name))
            if problem:
                errors.append(Error(f"{PREFIX}{name} {problem}.", id="omni.E006"))
    known = [PREFIX + name for name in SETTINGS]
    for name in sorted(dir(settings)):
        if name.startswith(PREFIX) and name not in known and name not in NOT_SETTINGS:
            guess = difflib.get_close_matches(name, known, n=1)
            suggestion = f"; did you mean {guess[0]}?" if guess else "."
            errors.append(
                Warning(
                    f"{name} is not an Oscar Omni setting and has no effect{suggestion}",
                    id="omni.W007",
                )
            )
    return errors


@register(Tags.caches)
def check_cache(app_configs, **kwargs):
    alias = omni_settings.CACHE_ALIAS
    if SETTINGS["CACHE_ALIAS"].validate(alias):
        return []  # check_settings reports it
    if alias not in settings.CACHES:
        return [
            Error(
                f"OMNI_CACHE_ALIAS names the cache {alias!r}, which CACHES does not define.",
                id="omni.E008",
            )
        ]
    if settings.CACHES[alias].get("BACKEND") == DUMMY_CACHE:
        return [
            Warning(
                f"The cache {alias!r} is a DummyCache, so the plugin recomputes profiles "
                "and segments on every request: configure a real cache (local memory, "
                "Redis or Memcached).",
                id="omni.W009",
            )
        ]
    return []


@register(Tags.urls)
def check_urls(app_configs, **kwargs):
    try:
        health_path = reverse("omni:health")
    except NoReverseMatch:
        return [
            Warning(
                "The plugin's URLs are not mounted: add "
                "path('omni/', include('omni_plugin.urls')) to your URLconf.",
                id="omni.W010",
            )
        ]
    match = resolve(health_path)
    if match.view_name != "omni:health":
        return [
            Error(
                f"An earlier URL pattern ({match.view_name}) answers "
                f"{health_path}, hiding the plugin's URLs: put the plugin's include() before "
                "Wagtail's catch-all include.",
                id="omni.E011",
            )
        ]
    return []
