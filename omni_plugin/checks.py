"""System checks: every misconfiguration of the plugin explained in one sentence.

``docs/settings.md`` lists each check id with its fix.
"""

import difflib

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.urls import NoReverseMatch, resolve, reverse

from .conf import PREFIX, SETTINGS, omni_settings
from .wiring import check_installed_apps, everything_installed

MIDDLEWARE = "omni_plugin.core.middleware.OmniMiddleware"
MIDDLEWARE_PREREQUISITES = {
    "django.contrib.sessions.middleware.SessionMiddleware": "session",
    "django.contrib.auth.middleware.AuthenticationMiddleware": "user",
}
DUMMY_CACHE = "django.core.cache.backends.dummy.DummyCache"
DJANGO_TEMPLATES = "django.template.backends.django.DjangoTemplates"
REQUEST_PROCESSOR = "django.template.context_processors.request"
NOT_SETTINGS = {"OMNI_APPS"}  # imported into settings modules by the install instructions

register(check_installed_apps)


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


def _plugin_urls_mounted():
    try:
        reverse("omni:health")
    except NoReverseMatch:
        return False
    return True


@register(Tags.urls)
def check_urls(app_configs, **kwargs):
    if not everything_installed():
        return []  # nothing is mounted, and omni.E003 says why
    if not _plugin_urls_mounted():
        return [
            Warning(
                "The plugin's URLs are not mounted: add "
                "path('omni/', include('omni_plugin.urls')) to your URLconf.",
                id="omni.W010",
            )
        ]
    health_path = reverse("omni:health")
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


@register(Tags.urls)
def check_root_urls(app_configs, **kwargs):
    if not everything_installed() or not _plugin_urls_mounted():
        return []  # omni.E003 or omni.W010 says why
    try:
        service_worker = reverse("omni_push_service_worker")
    except NoReverseMatch:
        service_worker = None
    if service_worker is None or service_worker.count("/") != 1:
        return [
            Error(
                "The push service worker is not served at the site's root, so no browser "
                "can subscribe: add root_urlpatterns from omni_plugin.urls at the start of "
                "the root URLconf, urlpatterns = [*root_urlpatterns, ...].",
                id="omni.E017",
            )
        ]
    return []


@register(Tags.templates)
def check_request_context_processor(app_configs, **kwargs):
    for engine in settings.TEMPLATES:
        if engine.get("BACKEND") != DJANGO_TEMPLATES:
            continue
        if REQUEST_PROCESSOR not in engine.get("OPTIONS", {}).get("context_processors", []):
            return [
                Error(
                    f"'{REQUEST_PROCESSOR}' is missing from the context_processors of "
                    "TEMPLATES: the plugin's template tags read the request from the "
                    "template context.",
                    id="omni.E018",
                )
            ]
    return []
