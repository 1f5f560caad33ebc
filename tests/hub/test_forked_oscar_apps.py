"""The plugin migrates in a shop whose partner, catalogue, order and communication apps
are forks with a migration history of their own, as Oscar documents forking them."""

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import oscar

REPO = Path(__file__).resolve().parents[2]
OSCAR_APPS = Path(oscar.__file__).resolve().parent / "apps"

#: The forks keep Oscar's migrations before these numbers (other Oscar apps depend on some
#: of them), then have one of their own, so the later names of Oscar's history are absent.
FORKS = {"partner": 7, "catalogue": 32, "order": 21, "communication": 4}
CONFIG_CLASSES = {
    "partner": "PartnerConfig",
    "catalogue": "CatalogueConfig",
    "order": "OrderConfig",
    "communication": "CommunicationConfig",
}


def fork(root, app):
    package = root / f"shop_{app}"
    (package / "migrations").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "migrations" / "__init__.py").write_text("")
    config = CONFIG_CLASSES[app]
    (package / "apps.py").write_text(
        textwrap.dedent(f"""
            import oscar.apps.{app}.apps as apps


            class {config}(apps.{config}):
                name = "shop_{app}"
        """)
    )
    for module in ("models", "admin"):
        if (OSCAR_APPS / app / f"{module}.py").exists():
            (package / f"{module}.py").write_text(
                f"from oscar.apps.{app}.{module} import *  # noqa\n"
            )
    for migration in (OSCAR_APPS / app / "migrations").glob("0*.py"):
        if int(migration.name[:4]) < FORKS[app]:
            shutil.copy(migration, package / "migrations" / migration.name)


#: The project runs on its own SQLite file whatever backends the suite runs on.
SERVICES = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")

SETTINGS = """
from sandbox.settings import *  # noqa

FORKED = {forked!r}
INSTALLED_APPS = [FORKED.get(app, app) for app in INSTALLED_APPS]
DATABASES["default"]["NAME"] = "forked.sqlite3"
"""


def manage(root, *args):
    result = subprocess.run(
        [sys.executable, "-m", "django", *args, "--settings=fork_settings"],
        cwd=root,
        env={
            **{name: value for name, value in os.environ.items() if name not in SERVICES},
            "PYTHONPATH": os.pathsep.join([str(root), str(REPO)]),
        },
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_plugin_migrates_beside_forks_with_their_own_history(tmp_path):
    for app in FORKS:
        fork(tmp_path, app)
    forked = {
        original: f"shop_{app}.apps.{CONFIG_CLASSES[app]}"
        for app in FORKS
        for original in (
            f"oscar.apps.{app}.apps.{CONFIG_CLASSES[app]}",
            f"sandbox.{app}.apps.{CONFIG_CLASSES[app]}",
        )
    }
    (tmp_path / "fork_settings.py").write_text(SETTINGS.format(forked=forked))

    manage(tmp_path, "makemigrations", *FORKS, "--name", "shop_catch_up")
    for app, number in FORKS.items():
        assert (tmp_path / f"shop_{app}" / "migrations" / f"{number:04}_shop_catch_up.py").exists()

    manage(tmp_path, "migrate", "--noinput")

    plan = manage(tmp_path, "showmigrations", "--plan")
    assert "[ ]" not in plan
    for label in ("omni_plugin", "omni_stores", "omni_banners", "omni_push"):
        assert f"[X]  {label}." in plan
    manage(tmp_path, "makemigrations", "--check", "--dry-run")
