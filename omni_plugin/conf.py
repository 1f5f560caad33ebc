"""The plugin's settings: one object, documented defaults, validated by system checks.

Each setting is read from the Django setting ``OMNI_<NAME>``; when the project does
not set it, the default below applies. Read them through ``omni_settings``::

    from omni_plugin.conf import omni_settings

    if omni_settings.ENABLED:
        ...

``docs/settings.md`` documents every entry of ``SETTINGS``; a test keeps the two in step.
"""

from dataclasses import dataclass
from typing import Any, Callable

from django.conf import settings as django_settings
from django.core.signals import setting_changed

PREFIX = "OMNI_"


def _bool(value):
    if not isinstance(value, bool):
        return f"must be True or False, not {value!r}"


def _non_empty_str(value):
    if not isinstance(value, str) or not value:
        return f"must be a non-empty string, not {value!r}"


def _url_path_prefixes(value):
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        return f"must be a list of URL path prefixes, not {value!r}"
    wrong = [item for item in value if not isinstance(item, str) or not item.startswith("/")]
    if wrong:
        return f"must hold URL paths that start with '/', and {wrong[0]!r} does not"


@dataclass(frozen=True)
class Setting:
    default: Any
    doc: str
    validate: Callable[[Any], str | None]


SETTINGS = {
    "ENABLED": Setting(
        default=True,
        doc="Master switch. False turns the middleware into a pass-through and stops "
        "all tracking, personalisation and messaging; the shop keeps working.",
        validate=_bool,
    ),
    "CACHE_ALIAS": Setting(
        default="default",
        doc="The entry of CACHES that holds profiles, compiled segments and fragments.",
        validate=_non_empty_str,
    ),
    "UNTRACKED_PATHS": Setting(
        default=("/favicon.ico", "/robots.txt"),
        doc="URL path prefixes the plugin never tracks or personalises, besides "
        "STATIC_URL and MEDIA_URL, which are always left alone.",
        validate=_url_path_prefixes,
    ),
}


class OmniSettings:
    """Attribute access to the ``OMNI_*`` settings, with the defaults of ``SETTINGS``."""

    def __getattr__(self, name):
        try:
            setting = SETTINGS[name]
        except KeyError:
            raise AttributeError(f"{PREFIX}{name} is not an Oscar Omni setting") from None
        value = getattr(django_settings, PREFIX + name, setting.default)
        self.__dict__[name] = value
        return value

    def reload(self):
        self.__dict__.clear()


omni_settings = OmniSettings()


def _reload_on_change(*, setting, **kwargs):
    if setting.startswith(PREFIX):
        omni_settings.reload()


setting_changed.connect(_reload_on_change)
