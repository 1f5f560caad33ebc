import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from omni_plugin import OMNI_APPS
from omni_plugin.conf import (
    OWNERS,
    SETTINGS,
    Setting,
    omni_settings,
    positive_int,
    register_settings,
)

REPO = Path(__file__).resolve().parents[2]
PLUGIN = REPO / "omni_plugin"
HUB = "omni_plugin"


def test_defaults_apply_when_the_project_sets_nothing():
    assert omni_settings.ENABLED is True
    assert omni_settings.CACHE_ALIAS == "default"
    assert omni_settings.UNTRACKED_PATHS == ("/favicon.ico", "/robots.txt")


def test_project_settings_override_the_defaults():
    with override_settings(OMNI_CACHE_ALIAS="omni"):
        assert omni_settings.CACHE_ALIAS == "omni"
    assert omni_settings.CACHE_ALIAS == "default"


def test_unknown_setting_is_an_attribute_error():
    with pytest.raises(AttributeError, match="OMNI_ENABLD is not an Oscar Omni setting"):
        _ = omni_settings.ENABLD


@pytest.fixture
def registry():
    """Registers in a test are undone afterwards."""
    settings, owners = dict(SETTINGS), dict(OWNERS)
    yield
    SETTINGS.clear()
    SETTINGS.update(settings)
    OWNERS.clear()
    OWNERS.update(owners)
    omni_settings.reload()


def test_a_setting_can_be_read_once_it_is_registered(registry):
    with pytest.raises(AttributeError, match="OMNI_LATE is not an Oscar Omni setting"):
        _ = omni_settings.LATE

    register_settings({"LATE": Setting(3, "Registered by a test.", positive_int)})

    assert omni_settings.LATE == 3
    assert OWNERS["LATE"] == __name__
    with override_settings(OMNI_LATE=4):
        assert omni_settings.LATE == 4


def test_a_name_registered_twice_is_refused_and_nothing_of_the_batch_is_kept(registry):
    twice = {
        "FRESH": Setting(1, "New.", positive_int),
        "PUSH_TIMEOUT": Setting(1, "Again.", positive_int),
    }

    with pytest.raises(
        ImproperlyConfigured,
        match=f"OMNI_PUSH_TIMEOUT is registered twice, by omni_plugin.push.conf and by {__name__}",
    ):
        register_settings(twice)
    assert "FRESH" not in SETTINGS
    assert OWNERS["PUSH_TIMEOUT"] == "omni_plugin.push.conf"


@pytest.mark.parametrize(
    "name, entry, problem",
    [
        ("OMNI_X", Setting(1, "", positive_int), "register it as X, without the OMNI_ prefix"),
        ("lower", Setting(1, "", positive_int), "a setting's name is written in capitals"),
        ("X", 1, "which is not a Setting"),
    ],
)
def test_a_malformed_registration_is_refused(registry, name, entry, problem):
    with pytest.raises(ImproperlyConfigured, match=re.escape(problem)):
        register_settings({name: entry})
    assert name not in SETTINGS


def test_each_setting_is_registered_by_one_app_whose_apps_py_imports_its_conf():
    conf_modules = {HUB: f"{HUB}.conf"}
    for app in OMNI_APPS:
        folder = PLUGIN / app.removeprefix(f"{HUB}.")
        if app != HUB and (folder / "conf.py").exists():
            assert "from . import conf" in (folder / "apps.py").read_text(), app
            conf_modules[app] = f"{app}.conf"

    assert list(OWNERS) == list(SETTINGS)
    assert {n: owner for n, owner in OWNERS.items() if owner not in conf_modules.values()} == {}
    assert sorted(set(conf_modules.values()) - set(OWNERS.values())) == []  # none registers nothing


def _owner_app(name):
    return OWNERS[name].removesuffix(".conf")


def _reading_apps():
    """The apps whose code reads each setting, the hub as ``omni_plugin``."""
    apps = {app.removeprefix(f"{HUB}.") for app in OMNI_APPS if app != HUB}
    readers = defaultdict(set)
    for source in PLUGIN.rglob("*.py"):
        if source.name == "conf.py":
            continue
        top = source.relative_to(PLUGIN).parts[0]
        app = f"{HUB}.{top}" if top in apps else HUB
        for name in re.findall(r"omni_settings\.([A-Z][A-Z0-9_]*)", source.read_text()):
            readers[name].add(app)
    return readers


def test_a_setting_belongs_to_the_app_that_reads_it():
    readers = _reading_apps()

    assert sorted(name for name in readers if name not in SETTINGS) == []
    # One reader owns it; a setting several apps read may be the plugin's as a whole.
    assert {
        name: (_owner_app(name), sorted(apps))
        for name, apps in readers.items()
        if _owner_app(name) not in (apps if len(apps) == 1 else apps | {HUB})
    } == {}


def test_every_default_passes_its_own_validation():
    assert {name: s.validate(s.default) for name, s in SETTINGS.items()} == dict.fromkeys(SETTINGS)


@pytest.mark.parametrize("document", ["README.md", "docs/settings.md"])
def test_every_setting_is_documented(document):
    text = (REPO / document).read_text()
    assert [name for name in SETTINGS if f"OMNI_{name}" not in text] == []


def test_settings_md_lists_each_setting_under_the_app_that_owns_it():
    documented_in = {}
    app = None
    for line in (REPO / "docs/settings.md").read_text().splitlines():
        if line.startswith("### "):
            app = re.search(r"\(`([a-z_.]+)`\)", line).group(1)
        elif line.startswith("## "):
            app = None
        elif app and (row := re.match(r"\| `OMNI_([A-Z0-9_]+)` \|", line)):
            documented_in[row.group(1)] = app
    assert documented_in == {name: _owner_app(name) for name in SETTINGS}


def test_every_check_is_documented():
    check_ids = {
        check_id
        for source in PLUGIN.rglob("*.py")
        for check_id in re.findall(r'id="(omni\.[EW]\d{3})"', source.read_text())
    }
    assert check_ids, "no check ids found in the plugin's code"
    documented = (REPO / "docs/settings.md").read_text()
    assert sorted(i for i in check_ids if i not in documented) == []
