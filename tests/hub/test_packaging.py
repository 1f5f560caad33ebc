"""The built wheel, installed into a separate Oscar + Wagtail project, works there.

The project has apps of its own named like the plugin's (``banners``, ``stores``, ``push``,
``geo``, ``personalization``), as shops often do, next to ``*OMNI_APPS``. It passes
``manage.py check``, migrates, finds the plugin's templates, static files and migrations,
and answers both the plugin's pages and its own apps' pages. Its processes import the
plugin from the installed wheel only: the source checkout is not on their ``sys.path``.
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path
from string import Template

import pytest

from omni_plugin import OMNI_APPS
from omni_plugin.push.vapid import generate_keys

REPO = Path(__file__).resolve().parents[2]
PACKAGE = "omni_plugin"
PROJECT_FILES = ["setup.cfg", "pyproject.toml", "MANIFEST.in", "README.md"]

# Added to the copy that is built: a template that renders a value, so that the test sees
# the packaged template engine at work, whatever the shipped templates need; and a
# translation catalogue, so that the packaging of locale/ is tested before the first one.
PROBES = {
    "omni_plugin/banners/templates/omni/banners/packaging_probe.html": "<p>probe {{ value }}</p>\n",
    "omni_plugin/core/locale/fr/LC_MESSAGES/django.po": 'msgid ""\nmsgstr ""\n',
}

# The shop's own apps, each with a model named like one of the plugin's where there is one.
SHOP_APPS = {
    "banners": "Banner",
    "stores": "Store",
    "push": "Campaign",
    "geo": "Region",
    "personalization": "Segment",
}

SHOP_APP_FILES = {
    "__init__.py": "",
    "models.py": """
from django.db import models


class $model(models.Model):
    name = models.CharField(max_length=50)
""",
    "views.py": """
from django.shortcuts import render

from .models import $model


def index(request):
    return render(request, "$app/index.html", {"objects": $model.objects.all()})
""",
    "urls.py": """
from django.urls import path

from . import views

app_name = "$app"
urlpatterns = [path("", views.index, name="index")]
""",
    "templates/$app/index.html": (
        "<p>The shop's own $app:{% for object in objects %} {{ object.name }}{% endfor %}</p>\n"
    ),
}

MANAGE = """
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop_settings")
from django.core.management import execute_from_command_line

execute_from_command_line(sys.argv)
"""

# INSTALLED_APPS, MIDDLEWARE and the URLconf as README.md's install instructions give them.
SHOP_SETTINGS = """
from pathlib import Path

from oscar import INSTALLED_APPS as OSCAR_APPS
from oscar.defaults import *

from omni_plugin import OMNI_APPS

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "separate-project"
ALLOWED_HOSTS = ["testserver"]
INSTALLED_APPS = [
    *OSCAR_APPS,
    "sorl.thumbnail",
    "wagtail.sites", "wagtail.users", "wagtail.snippets", "wagtail.documents",
    "wagtail.images", "wagtail.search", "wagtail.admin", "wagtail",
    "modelcluster", "taggit",
    $shop_apps,
    *OMNI_APPS,
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "omni_plugin.core.middleware.OmniMiddleware",
]
ROOT_URLCONF = "shop_urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "shop.sqlite3"}}
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "oscar.apps.search.context_processors.search_form",
        "oscar.apps.checkout.context_processors.checkout",
        "oscar.apps.communication.notifications.context_processors.notifications",
        "oscar.core.context_processors.metadata",
    ]},
}]
STATIC_URL = "/static/"
SITE_ID = 1
WAGTAILADMIN_BASE_URL = "http://shop.example"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
OMNI_PUSH_VAPID_PUBLIC_KEY = $public_key
OMNI_PUSH_VAPID_PRIVATE_KEY = $private_key
OMNI_PUSH_VAPID_SUBJECT = "mailto:webmaster@shop-example.com"
"""

SHOP_URLS = """
from django.apps import apps
from django.urls import include, path
from wagtail import urls as wagtail_urls

from omni_plugin.urls import root_urlpatterns as omni_root_urlpatterns

urlpatterns = [
    *omni_root_urlpatterns,
    path("omni/", include("omni_plugin.urls")),
    $shop_paths,
    path("shop/", include(apps.get_app_config("oscar").urls[0])),
    path("", include(wagtail_urls)),
]
"""

# Runs inside the separate project, once it is migrated, and reports what Django finds there.
INSPECT = """
import json
import os
import sys

import django

django.setup()
from django.apps import apps
from django.contrib.staticfiles import finders
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.template.loader import get_template
from django.test import Client

templates, statics = json.loads(sys.argv[1]), json.loads(sys.argv[2])
for app, model in $shop_apps.items():
    apps.get_model(app, model).objects.create(name=f"{app} of the shop")
client = Client()
pages = {}
for url in ["/omni/health/", "/omni-push-sw.js", "/omni/stores/"] + [
    f"/{name}/" for name in $shop_apps
]:
    response = client.get(url)
    pages[url] = {
        "status": response.status_code,
        "type": response.get("Content-Type"),
        "body": response.content.decode(),
    }
print(json.dumps({
    "plugin_homes": [
        path for path in sys.path if os.path.isdir(os.path.join(path or ".", "omni_plugin"))
    ],
    "finders": [getattr(finder, "__module__", "") for finder in sys.meta_path],
    "plugin_modules": sorted(
        module.__file__ for name, module in sys.modules.items()
        if name.split(".")[0] == "omni_plugin" and getattr(module, "__file__", None)
    ),
    "labels": {config.name: config.label for config in apps.get_app_configs()},
    "loaded": [get_template(name).origin.name for name in templates],
    "probe": get_template("omni/banners/packaging_probe.html").render({"value": 7}),
    "static": {name: finders.find(name) for name in statics},
    "applied": sorted(
        f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
    ),
    "pages": pages,
}))
"""


def run(*args, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def write(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)


def copy_source(destination):
    """The files a build reads, without caches or the editable install's metadata."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / PACKAGE, destination / PACKAGE, ignore=ignore)
    for name in PROJECT_FILES:
        shutil.copy(REPO / name, destination / name)
    for relative, content in PROBES.items():
        write(destination / relative, content)


def package_data(source):
    """Every file the package ships besides Python code: templates, static files, locales."""
    return sorted(
        str(path.relative_to(source))
        for path in (source / PACKAGE).rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc")
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("packaging")
    source, dist, site = root / "source", root / "dist", root / "site"
    copy_source(source)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    run(*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", dist, source)
    (wheel,) = dist.glob("django_oscar_omni-*.whl")
    run(*pip, "install", "--no-deps", "--no-index", "--target", site, wheel)
    return source, wheel, site


def shop_python(root, site):
    """A Python of the shop's own: the installed wheel and the plugin's dependencies.

    The dependencies are those of this virtualenv, which also installs the source checkout
    in editable mode; they are added to the shop's ``sys.path`` by a ``.pth`` line, which
    runs none of their own ``.pth`` files, so that editable finder is never loaded.
    """
    venv = root / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
    dependencies = dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    write(Path(purelib.strip()) / "shop.pth", "\n".join([str(site), *dependencies]) + "\n")
    return python


def fill(template, **values):
    return Template(template).substitute(values)


def write_shop(project):
    public_key, private_key = generate_keys()
    write(project / "manage.py", MANAGE)
    settings = fill(
        SHOP_SETTINGS,
        shop_apps=", ".join(repr(app) for app in SHOP_APPS),
        public_key=repr(public_key),
        private_key=repr(private_key),
    )
    write(project / "shop_settings.py", settings)
    paths = [f'path("{app}/", include("{app}.urls"))' for app in SHOP_APPS]
    write(project / "shop_urls.py", fill(SHOP_URLS, shop_paths=",\n    ".join(paths)))
    for app, model in SHOP_APPS.items():
        for name, content in SHOP_APP_FILES.items():
            write(project / app / fill(name, app=app), fill(content, app=app, model=model))
    write(project / "inspect_shop.py", fill(INSPECT, shop_apps=repr(SHOP_APPS)))


@pytest.fixture(scope="module")
def separate_project(built, tmp_path_factory):
    """The separate project, its apps' migrations made and everything migrated."""
    _, _, site = built
    root = tmp_path_factory.mktemp("shop")
    project = root / "project"
    write_shop(project)
    python = shop_python(root, site)
    env = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    env["DJANGO_SETTINGS_MODULE"] = "shop_settings"

    def manage(*args):
        return run(python, "manage.py", *args, cwd=project, env=env)

    manage("makemigrations", *SHOP_APPS)
    manage("migrate", "--noinput")
    return project, python, env, manage


def test_wheel_ships_every_package_data_file_and_migration(built):
    source, wheel, _ = built
    shipped = set(zipfile.ZipFile(wheel).namelist())
    migrations = sorted(
        str(path.relative_to(source)) for path in source.glob(f"{PACKAGE}/*/migrations/*.py")
    )
    expected = package_data(source) + migrations
    assert set(PROBES) <= set(expected)
    assert [name for name in expected if name not in shipped] == []
    distribution = "-".join(wheel.name.split("-")[:2])
    assert {name.split("/")[0] for name in shipped} == {PACKAGE, f"{distribution}.dist-info"}


def test_separate_project_passes_its_checks(separate_project):
    _, _, _, manage = separate_project
    for args in [(), ("--database", "default")]:
        output = manage("check", "--fail-level", "WARNING", *args)
        assert "System check identified no issues" in output
    # No app lacks a migration, the plugin's included.
    manage("makemigrations", "--check", "--dry-run")


def test_separate_project_runs_the_plugin_and_its_own_apps_from_the_wheel(built, separate_project):
    source, wheel, site = built
    project, python, env, _ = separate_project
    data = package_data(source)
    templates = [name.split("/templates/", 1)[1] for name in data if "/templates/" in name]
    statics = [name.split("/static/", 1)[1] for name in data if "/static/" in name]
    output = run(
        python,
        "inspect_shop.py",
        json.dumps(templates),
        json.dumps(statics),
        cwd=project,
        env=env,
    )
    report = json.loads(output.splitlines()[-1])

    # Only the wheel provides the plugin.
    assert report["plugin_homes"] == [str(site)]
    assert not any("__editable__" in finder for finder in report["finders"])
    assert all(Path(module).is_relative_to(site) for module in report["plugin_modules"])

    # The plugin's apps and the shop's own, side by side.
    labels = report["labels"]
    assert all(labels[name].startswith("omni_") for name in OMNI_APPS)
    assert [labels[app] for app in SHOP_APPS] == list(SHOP_APPS)

    # The plugin's templates, static files and migrations, from the wheel.
    assert report["probe"] == "<p>probe 7</p>\n"
    assert len(report["loaded"]) == len(templates)
    assert all(Path(origin).is_relative_to(site) for origin in report["loaded"])
    assert Path(report["static"]["omni/push/service-worker.js"]).is_relative_to(site)
    assert all(Path(found).is_relative_to(site) for found in report["static"].values())
    shipped_migrations = {
        f"{labels[name.split('/migrations/')[0].replace('/', '.')]}.{Path(name).stem}"
        for name in zipfile.ZipFile(wheel).namelist()
        if "/migrations/0" in name and name.endswith(".py")
    }
    assert "omni_stores.0001_initial" in shipped_migrations
    assert shipped_migrations <= set(report["applied"])
    assert {f"{app}.0001_initial" for app in SHOP_APPS} <= set(report["applied"])

    # The plugin's pages.
    pages = report["pages"]
    assert pages["/omni/health/"]["status"] == 200
    assert json.loads(pages["/omni/health/"]["body"])["status"] == "ok"
    worker = pages["/omni-push-sw.js"]
    assert (worker["status"], worker["type"]) == (200, "text/javascript; charset=utf-8")
    assert worker["body"].startswith("self.omniPush = ")
    assert pages["/omni/stores/"]["status"] == 200
    assert "Our stores" in pages["/omni/stores/"]["body"]

    # The shop's own apps' pages, with their own templates and tables.
    for app in SHOP_APPS:
        assert pages[f"/{app}/"]["status"] == 200
        assert pages[f"/{app}/"]["body"] == f"<p>The shop's own {app}: {app} of the shop</p>\n"
