import re
from pathlib import Path

import pytest
from django.test import override_settings

from omni_plugin.conf import SETTINGS, omni_settings

REPO = Path(__file__).resolve().parent.parent


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


def test_every_default_passes_its_own_validation():
    assert {name: s.validate(s.default) for name, s in SETTINGS.items()} == dict.fromkeys(SETTINGS)


@pytest.mark.parametrize("document", ["README.md", "docs/settings.md"])
def test_every_setting_is_documented(document):
    text = (REPO / document).read_text()
    assert [name for name in SETTINGS if f"OMNI_{name}" not in text] == []


def test_every_check_is_documented():
    check_ids = {
        check_id
        for checks in REPO.glob("*/checks.py")
        for check_id in re.findall(r'id="(omni\.[EW]\d{3})"', checks.read_text())
    }
    assert check_ids, "no check ids found in the apps' checks.py"
    documented = (REPO / "docs/settings.md").read_text()
    assert sorted(i for i in check_ids if i not in documented) == []
