"""Every plugin system check, triggered by ``manage.py check`` on a misconfigured project."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from omni_plugin import OMNI_APPS

REPO = Path(__file__).resolve().parents[2]

URLS_WITHOUT_OMNI = """
from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [path("", include(wagtail_urls))]
"""

URLS_WITH_OMNI_BEHIND_WAGTAIL = """
from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [path("", include(wagtail_urls)), path("omni/", include("omni_plugin.urls"))]
"""

URLS_OMNI_ONLY = """
from django.urls import include, path

urlpatterns = [path("omni/", include("omni_plugin.urls"))]
"""


URLS_WITHOUT_ROOT_URLS = """
from django.apps import apps
from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [
    path("omni/", include("omni_plugin.urls")),
    path("", include(apps.get_app_config("oscar").urls[0])),
]
"""


def manage_check(tmp_path, settings_changes, urls=None):
    """Run ``manage.py check`` on the sandbox settings with ``settings_changes`` applied."""
    settings_module = "from sandbox.settings import *\n" + textwrap.dedent(settings_changes)
    if urls is not None:
        (tmp_path / "check_urls.py").write_text(urls)
        settings_module += '\nROOT_URLCONF = "check_urls"\n'
    (tmp_path / "check_settings.py").write_text(settings_module)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO)])}
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--settings=check_settings"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


def test_sandbox_has_no_plugin_issues(tmp_path):
    returncode, output = manage_check(tmp_path, "")
    assert returncode == 0, output
    assert "omni." not in output
    assert "System check identified no issues" in output


MISCONFIGURATIONS = {
    "oscar missing": (
        """
        # Oscar's apps and the sandbox's forks of them.
        INSTALLED_APPS = [
            app for app in INSTALLED_APPS
            if not app.startswith("oscar.") and app not in OSCAR_FORKS.values()
        ]
        MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("oscar.")]
        """,
        URLS_WITHOUT_OMNI,
        "omni.E001",
        "django-oscar is not installed",
    ),
    "wagtail missing": (
        """
        INSTALLED_APPS = [
            app for app in INSTALLED_APPS
            if not app.startswith(("wagtail", "sandbox.cms", "modelcluster", "taggit"))
        ]
        """,
        URLS_OMNI_ONLY,
        "omni.E002",
        "Wagtail is not installed",
    ),
    "one plugin app missing": (
        """
        INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "omni_plugin.push"]
        """,
        None,
        "omni.E003",
        "Oscar Omni's apps work together and omni_plugin.push is missing from "
        "INSTALLED_APPS: add them all with *OMNI_APPS.",
    ),
    "request context processor missing": (
        """
        TEMPLATES = [
            {**engine, "OPTIONS": {**engine["OPTIONS"], "context_processors": [
                p for p in engine["OPTIONS"]["context_processors"] if not p.endswith(".request")
            ]}}
            for engine in TEMPLATES
        ]
        """,
        None,
        "omni.E018",
        "'django.template.context_processors.request' is missing from the context_processors",
    ),
    "root URLs missing": (
        "",
        URLS_WITHOUT_ROOT_URLS,
        "omni.E017",
        "The push service worker is not served at the site's root",
    ),
    "middleware missing": (
        """
        MIDDLEWARE = [m for m in MIDDLEWARE if "Omni" not in m]
        """,
        None,
        "omni.E004",
        "'omni_plugin.core.middleware.OmniMiddleware' is missing from MIDDLEWARE",
    ),
    "middleware before authentication": (
        """
        MIDDLEWARE = ["omni_plugin.core.middleware.OmniMiddleware"] + [
            m for m in MIDDLEWARE if "Omni" not in m
        ]
        """,
        None,
        "omni.E005",
        "OmniMiddleware must come after AuthenticationMiddleware in MIDDLEWARE",
    ),
    "setting of the wrong type": (
        """
        OMNI_ENABLED = "yes"
        """,
        None,
        "omni.E006",
        "OMNI_ENABLED must be True or False, not 'yes'.",
    ),
    "path list given as a string": (
        """
        OMNI_UNTRACKED_PATHS = "/admin/"
        """,
        None,
        "omni.E006",
        "OMNI_UNTRACKED_PATHS must be a list of URL path prefixes, not '/admin/'.",
    ),
    "misspelt setting": (
        """
        OMNI_ENABLD = False
        """,
        None,
        "omni.W007",
        "OMNI_ENABLD is not an Oscar Omni setting and has no effect; did you mean OMNI_ENABLED?",
    ),
    "cache alias not defined": (
        """
        OMNI_CACHE_ALIAS = "omni"
        """,
        None,
        "omni.E008",
        "OMNI_CACHE_ALIAS names the cache 'omni', which CACHES does not define.",
    ),
    "dummy cache": (
        """
        CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
        """,
        None,
        "omni.W009",
        "The cache 'default' is a DummyCache",
    ),
    "trusted proxy that is not a network": (
        """
        OMNI_TRUSTED_PROXIES = ["10.0.0/8"]
        """,
        None,
        "omni.E006",
        "OMNI_TRUSTED_PROXIES holds '10.0.0/8', which is not a network",
    ),
    "debug location that is not an address": (
        """
        OMNI_DEBUG_LOCATION = "London"
        """,
        None,
        "omni.E006",
        "OMNI_DEBUG_LOCATION must be None or an IP address",
    ),
    "geoip database missing": (
        """
        OMNI_GEOIP_PATH = "/nonexistent/GeoLite2-City.mmdb"
        """,
        None,
        "omni.W012",
        "OMNI_GEOIP_PATH names a file that does not exist (/nonexistent/GeoLite2-City.mmdb)",
    ),
    "geoip database corrupt": (
        """
        from pathlib import Path
        OMNI_GEOIP_PATH = Path(__file__).with_name("corrupt.mmdb")
        OMNI_GEOIP_PATH.write_bytes(b"not a database")
        """,
        None,
        "omni.W012",
        "OMNI_GEOIP_PATH names a file that is not a GeoIP2 database",
    ),
    "urls not mounted": ("", URLS_WITHOUT_OMNI, "omni.W010", "The plugin's URLs are not mounted"),
    "vapid keys missing": (
        'OMNI_PUSH_VAPID_PUBLIC_KEY = OMNI_PUSH_VAPID_PRIVATE_KEY = ""',
        None,
        "omni.W015",
        "Web push is off because OMNI_PUSH_VAPID_PUBLIC_KEY and",
    ),
    "vapid key alone": (
        'OMNI_PUSH_VAPID_PRIVATE_KEY = ""',
        None,
        "omni.E013",
        "OMNI_PUSH_VAPID_PUBLIC_KEY is set but OMNI_PUSH_VAPID_PRIVATE_KEY is empty",
    ),
    "urls hidden by wagtail": (
        "",
        URLS_WITH_OMNI_BEHIND_WAGTAIL,
        "omni.E011",
        "An earlier URL pattern (wagtail_serve) answers /omni/health/",
    ),
}


@pytest.mark.parametrize(
    "settings_changes, urls, check_id, message",
    MISCONFIGURATIONS.values(),
    ids=MISCONFIGURATIONS.keys(),
)
def test_misconfiguration_is_explained(tmp_path, settings_changes, urls, check_id, message):
    returncode, output = manage_check(tmp_path, settings_changes, urls)
    assert f"({check_id}) {message}" in output, output
    is_error = check_id.startswith("omni.E")
    assert (returncode != 0) is is_error, output


@pytest.mark.parametrize("app", OMNI_APPS)
def test_each_missing_app_is_named_by_the_check_not_by_a_traceback(tmp_path, app):
    returncode, output = manage_check(
        tmp_path, f"INSTALLED_APPS = [a for a in INSTALLED_APPS if a != {app!r}]\n"
    )
    assert returncode != 0, output
    assert "Traceback" not in output, output
    assert f"(omni.E003) Oscar Omni's apps work together and {app} is missing" in output, output
    assert "omni.W010" not in output, output
