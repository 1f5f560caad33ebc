"""The plugin's settings: one registry, documented defaults, validated by system checks.

Each setting is read from the Django setting ``OMNI_<NAME>``; when the project does
not set it, its default applies. Read them through ``omni_settings``::

    from omni_plugin.conf import omni_settings

    if omni_settings.ENABLED:
        ...

This module holds the mechanism and the settings of the plugin as a whole. Every app
owns the rest of its settings: its ``conf`` module passes them to ``register_settings``,
and its ``apps.py`` imports that module, so that they are registered before any model,
view or check can read them. ``docs/settings.md`` documents every registered setting
under the app that owns it; a test keeps the two in step.
"""

import sys
from dataclasses import dataclass
from typing import Any, Callable

from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

PREFIX = "OMNI_"


@dataclass(frozen=True)
class Setting:
    default: Any
    doc: str
    validate: Callable[[Any], str | None]


# Validators return None for a good value, else the end of a sentence that starts with
# the setting's name ("OMNI_X must be ...").


def boolean(value):
    if not isinstance(value, bool):
        return f"must be True or False, not {value!r}"


def non_empty_str(value):
    if not isinstance(value, str) or not value:
        return f"must be a non-empty string, not {value!r}"


def positive_int(value):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return f"must be a positive whole number, not {value!r}"


def str_list(value):
    if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
        return f"must be a list of strings, not {value!r}"
    if not all(isinstance(item, str) for item in value):
        return f"must hold only strings, not {value!r}"


def one_of(*choices):
    def validate(value):
        if value not in choices:
            return f"must be one of {', '.join(map(repr, choices))}, not {value!r}"

    return validate


def _task_queues(value):
    if not isinstance(value, dict):
        return f"must map task paths or their module prefixes to queue names, not {value!r}"
    wrong = [
        path
        for path, queue in value.items()
        if not isinstance(path, str) or not path or not isinstance(queue, str) or not queue
    ]
    if wrong:
        return f"maps {wrong[0]!r} to {value[wrong[0]]!r}; both must be non-empty strings"


#: Every registered setting by name (without the prefix), in the order registered.
SETTINGS: dict[str, Setting] = {}
#: The module that registered each setting.
OWNERS: dict[str, str] = {}


def register_settings(app_settings: dict, *, owner: str | None = None):
    """Add ``app_settings`` (name without the prefix -> ``Setting``) to the registry.

    ``owner`` defaults to the calling module. A name that is already registered is
    refused, and then nothing of ``app_settings`` is registered.
    """
    if owner is None:
        # The caller is the app's conf module, which registers at import time.
        owner = sys._getframe(1).f_globals.get("__name__", "?")
    for name, setting in app_settings.items():
        if not isinstance(name, str) or not name.isidentifier() or name != name.upper():
            raise ImproperlyConfigured(
                f"{owner} registers the setting {name!r}: a setting's name is written in "
                f"capitals, without the {PREFIX} prefix."
            )
        if name.startswith(PREFIX):
            raise ImproperlyConfigured(
                f"{owner} registers {name}: register it as {name.removeprefix(PREFIX)}, "
                f"without the {PREFIX} prefix."
            )
        if not isinstance(setting, Setting):
            raise ImproperlyConfigured(
                f"{owner} registers {PREFIX}{name} as {setting!r}, which is not a Setting."
            )
        if name in SETTINGS:
            raise ImproperlyConfigured(
                f"{PREFIX}{name} is registered twice, by {OWNERS[name]} and by {owner}: "
                "each setting belongs to exactly one app."
            )
    SETTINGS.update(app_settings)
    OWNERS.update(dict.fromkeys(app_settings, owner))


class OmniSettings:
    """Attribute access to the ``OMNI_*`` settings, with the defaults of ``SETTINGS``."""

    def __getattr__(self, name):
        try:
            setting = SETTINGS[name]
        except KeyError:
            raise AttributeError(
                f"{PREFIX}{name} is not an Oscar Omni setting: no installed app registers it"
            ) from None
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


register_settings(
    {
        "ENABLED": Setting(
            default=True,
            doc="Master switch. False turns the middleware into a pass-through and stops "
            "all tracking, personalisation and messaging; the shop keeps working.",
            validate=boolean,
        ),
        "CACHE_ALIAS": Setting(
            default="default",
            doc="The entry of CACHES that holds profiles, compiled segments and fragments.",
            validate=non_empty_str,
        ),
        "TASK_QUEUES": Setting(
            default={
                "omni_plugin.push": "omni_push",
                "omni_plugin.personalization.recs": "omni_models",
                "omni_plugin.personalization.tasks.refresh_segments": "omni_models",
            },
            doc="On Celery, the queue of each task: its import path, or a dotted prefix of it "
            "(a module or an app), mapped to a queue name; the longest prefix wins, and tasks "
            "named nowhere go on 'omni_default'. A task whose queue_name is not 'default' "
            "keeps it.",
            validate=_task_queues,
        ),
    }
)
