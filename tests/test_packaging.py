"""The built wheel, installed into a separate Oscar + Wagtail project, exposes the
plugin's templates, static files and migrations."""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from omni_plugin import OMNI_APPS
from push.vapid import generate_keys

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ["omni_plugin", "personalization", "banners", "push", "geo", "stores"]
PROJECT_FILES = ["setup.cfg", "pyproject.toml", "MANIFEST.in", "README.md"]

# Added to the copy that is built: a template that renders a value, so that the test sees
# the packaged template engine at work, whatever the shipped templates need.
PROBES = {
    "banners/templates/omni/banners/packaging_probe.html": "<p>probe {{ value }}</p>\n",
}

SHOP_SETTINGS = """
from oscar import INSTALLED_APPS as OSCAR_APPS
from oscar.defaults import *

from omni_plugin import OMNI_APPS
from push.vapid import generate_keys

SECRET_KEY = "separate-project"
INSTALLED_APPS = [
    *OSCAR_APPS,
    "sorl.thumbnail",
    "wagtail.sites", "wagtail.users", "wagtail.snippets", "wagtail.documents",
    "wagtail.images", "wagtail.search", "wagtail.admin", "wagtail",
    "modelcluster", "taggit",
    *OMNI_APPS,
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "omni_plugin.middleware.OmniMiddleware",
]
ROOT_URLCONF = "shop_urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "shop.sqlite3"}}
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
STATIC_URL = "/static/"
SITE_ID = 1
WAGTAILADMIN_BASE_URL = "http://shop.example"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
"""

SHOP_URLS = """
from django.apps import apps
from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [
    path("omni/", include("omni_plugin.urls")),
    path("shop/", include(apps.get_app_config("oscar").urls[0])),
    path("", include(wagtail_urls)),
]
"""

# Runs inside the separate project and reports what Django finds there.
INSPECT = """
import json, sys
import django
django.setup()
from django.apps import apps
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader
from django.template.loader import get_template
import omni_plugin

templates, statics = json.loads(sys.argv[1]), json.loads(sys.argv[2])
loader = MigrationLoader(None, ignore_no_migrations=True)
call_command("check", fail_level="WARNING")
print(json.dumps({
    "imported_from": omni_plugin.__file__,
    "labels": sorted(c.label for c in apps.get_app_configs() if c.label.startswith("omni_")),
    "loaded": [get_template(name).origin.name for name in templates],
    "probe": get_template("omni/banners/packaging_probe.html").render({"value": 7}),
    "static": {name: finders.find(name) for name in statics},
    "migrated_apps": sorted(loader.migrated_apps),
    "migrations": sorted(f"{app}.{name}" for app, name in loader.disk_migrations),
}))
"""


def run(*args, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def copy_source(destination):
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for package in PACKAGES:
        shutil.copytree(REPO / package, destination / package, ignore=ignore)
    for name in PROJECT_FILES:
        shutil.copy(REPO / name, destination / name)
    for relative, content in PROBES.items():
        (destination / relative).parent.mkdir(parents=True, exist_ok=True)
        (destination / relative).write_text(content)


def package_data(source):
    """Every file a package ships besides Python code: templates, static files, ..."""
    return sorted(
        str(path.relative_to(source))
        for package in PACKAGES
        for path in (source / package).rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc")
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("packaging")
    source, dist, site = root / "source", root / "dist", root / "site"
    source.mkdir()
    copy_source(source)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    run(*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", dist, source)
    (wheel,) = dist.glob("django_oscar_omni-*.whl")
    run(*pip, "install", "--no-deps", "--no-index", "--target", site, wheel)
    return source, wheel, site


def test_wheel_ships_every_package_data_file_and_migration(built):
    source, wheel, _ = built
    shipped = set(zipfile.ZipFile(wheel).namelist())
    migrations = sorted(str(path.relative_to(source)) for path in source.glob("*/migrations/*.py"))
    expected = package_data(source) + migrations
    assert set(PROBES) <= set(expected)
    assert [name for name in expected if name not in shipped] == []
    assert not any(name.startswith(("sandbox/", "tests/")) for name in shipped)


def test_separate_project_finds_templates_static_files_and_migrations(built, tmp_path):
    source, _, site = built
    public_key, private_key = generate_keys()
    (tmp_path / "shop_settings.py").write_text(
        SHOP_SETTINGS
        + f"OMNI_PUSH_VAPID_PUBLIC_KEY = {public_key!r}\n"
        + f"OMNI_PUSH_VAPID_PRIVATE_KEY = {private_key!r}\n"
        + 'OMNI_PUSH_VAPID_SUBJECT = "mailto:webmaster@shop-example.com"\n'
    )
    (tmp_path / "shop_urls.py").write_text(SHOP_URLS)
    data = package_data(source)
    templates = [name.split("/templates/", 1)[1] for name in data if "/templates/" in name]
    statics = [name.split("/static/", 1)[1] for name in data if "/static/" in name]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), str(tmp_path)]),
        "DJANGO_SETTINGS_MODULE": "shop_settings",
    }
    report = json.loads(
        run(
            sys.executable,
            "-c",
            INSPECT,
            json.dumps(templates),
            json.dumps(statics),
            cwd=tmp_path,
            env=env,
        ).splitlines()[-1]
    )

    assert Path(report["imported_from"]).is_relative_to(site)
    assert report["labels"] == sorted(
        f"omni_{name}" if not name.startswith("omni_") else name for name in OMNI_APPS
    )
    assert report["probe"] == "<p>probe 7</p>\n"
    assert len(report["loaded"]) == len(templates)
    assert all(Path(origin).is_relative_to(site) for origin in report["loaded"])
    assert Path(report["static"]["omni/push/service-worker.js"]).is_relative_to(site)
    assert all(Path(found).is_relative_to(site) for found in report["static"].values())
    assert set(report["labels"]) <= set(report["migrated_apps"])
    assert "omni_stores.0001_initial" in report["migrations"]
