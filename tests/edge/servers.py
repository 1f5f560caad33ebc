"""The demo shop served by gunicorn, and Varnish in front of it, for edge tests and benchmarks.

    with Origin({"OMNI_SLOT_RENDER_MODE": "esi"}) as origin, Varnish(origin.port) as edge:
        requests.get(edge.url + "/")

An ``Origin`` has a database of its own (SQLite in a temporary directory, or a new
PostgreSQL database on the server of ``DATABASE_URL``), migrated and seeded with the demo
shop before gunicorn starts, or copied from a ``ShopData`` seeded once (see
``shared_demo_shop``); stopping it drops that database. ``Varnish`` runs
``docs/varnish/omni.vcl`` with the origin's port written into its backend.
"""

import fcntl
import itertools
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

REPOSITORY = Path(__file__).resolve().parents[2]
VCL = REPOSITORY / "docs" / "varnish" / "omni.vcl"
MANAGE = REPOSITORY / "sandbox" / "manage.py"
# A Redis database the test processes leave alone: they use one per xdist worker from 0.
ORIGIN_REDIS_DATABASE = 12
_database_numbers = itertools.count()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_path():
    beside_python = Path(sys.executable).with_name("gunicorn")
    return str(beside_python) if beside_python.exists() else shutil.which("gunicorn")


def varnish_available():
    return shutil.which("varnishd") is not None


def wait_for(url, timeout, process, log_path, accept=(200,)):
    """Wait until ``url`` answers with a status in ``accept``, or fail with the server's log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} stopped before answering:\n{Path(log_path).read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = None
        if status in accept:
            return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s:\n{Path(log_path).read_text()}")


def stop_process_group(process, grace=10):
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class Server:
    """Started on entering a ``with`` block, stopped on leaving it."""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


class PostgresDatabase:
    """A database named ``name`` on the server of ``server_url``."""

    def __init__(self, server_url, name):
        self.server_url = server_url
        self.name = name
        self.url = urlsplit(server_url)._replace(path=f"/{name}").geturl()

    def _execute(self, statement):
        import psycopg

        parts = urlsplit(self.server_url)
        with psycopg.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password,
            dbname="postgres",
            autocommit=True,
        ) as connection:
            connection.execute(statement)

    def create(self, template=None):
        copy = f' TEMPLATE "{template.name}"' if template else ""
        self._execute(f'CREATE DATABASE "{self.name}"{copy}')

    def drop(self):
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class ShopData:
    """A database and a directory for the files the shop writes (media, search index, GeoIP).

    Without ``DATABASE_URL`` in the environment the database is a SQLite file in the
    directory; with it, a PostgreSQL database of its own on that server. ``settings`` are
    extra environment variables for ``tests.edge.edge_settings``.
    """

    def __init__(self, directory, settings=None, database_name=None):
        self.directory = Path(directory)
        self.settings = dict(settings or {})
        server = os.environ.get("DATABASE_URL")
        name = database_name or f"omni_edge_{os.getpid()}_{next(_database_numbers)}"
        self.database = PostgresDatabase(server, name) if server else None
        self.env = self._environment()

    def _environment(self):
        env = {
            **os.environ,
            **self.settings,
            "DJANGO_SETTINGS_MODULE": "tests.edge.edge_settings",
            "OMNI_EDGE_DATA_DIR": str(self.directory),
            "DATABASE_URL": (
                self.database.url if self.database else f"sqlite:///{self.directory}/db.sqlite3"
            ),
        }
        if os.environ.get("REDIS_URL"):
            redis = urlsplit(os.environ["REDIS_URL"])
            env["REDIS_URL"] = redis._replace(path=f"/{ORIGIN_REDIS_DATABASE}").geturl()
        return env

    def create(self):
        """Make the database and seed the demo shop into it; returns self."""
        self.directory.mkdir(parents=True, exist_ok=True)
        try:
            if self.database:
                self.database.create()
            self.manage("migrate", "--noinput")
            self.manage("omni_demo")
        except BaseException:
            self.remove()
            raise
        return self

    def copy(self, directory, settings=None):
        """A copy of this shop's database and files, much faster than a new one."""
        copy = ShopData(directory, settings)
        shutil.copytree(self.directory, copy.directory, dirs_exist_ok=True)
        if copy.database:
            copy.database.create(template=self.database)
        return copy

    def manage(self, *arguments):
        """Run a management command against this database; returns its output."""
        completed = subprocess.run(
            [sys.executable, str(MANAGE), *arguments],
            cwd=REPOSITORY,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if completed.returncode:
            raise RuntimeError(
                f"manage.py {' '.join(arguments)} failed:\n{completed.stdout}{completed.stderr}"
            )
        return completed.stdout

    def remove(self):
        if self.database:
            self.database.drop()
        shutil.rmtree(self.directory, ignore_errors=True)


@contextmanager
def _locked(path):
    with open(path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@contextmanager
def shared_demo_shop(key):
    """The demo shop seeded once for every process that asks with the same ``key`` (the
    xdist workers of one run): the first one builds it, the last one to leave removes it.
    Origins copy it rather than migrate and seed their own."""
    home = Path(tempfile.gettempdir()) / f"omni-edge-shop-{key}"
    home.mkdir(exist_ok=True)
    shop = ShopData(home / "shop", database_name=f"omni_edge_shop_{key}")
    member = home / f"member-{os.getpid()}"
    try:
        with _locked(home / "lock"):
            if not (home / "ready").exists():
                shop.create()
                (home / "ready").touch()
            member.touch()
        yield shop
    finally:
        with _locked(home / "lock"):
            member.unlink(missing_ok=True)
            if not any(home.glob("member-*")):
                shop.remove()
                shutil.rmtree(home, ignore_errors=True)


class Origin(Server):
    """The sandbox shop served by gunicorn on 127.0.0.1, with a database of its own.

    ``settings`` are extra environment variables for ``tests.edge.edge_settings`` (such as
    ``{"OMNI_SLOT_RENDER_MODE": "esi"}``). The database is a copy of ``shop`` (a
    ``ShopData``) when given, else migrated and seeded with the demo shop here. ``seed``
    adds data after that: Python code, or a module-level function, run by
    ``manage.py shell``. ``keep_alive`` is how many seconds gunicorn keeps an idle
    connection open (its default, 2).
    """

    def __init__(
        self, settings=None, seed=None, shop=None, workers=2, threads=4, port=None, keep_alive=2
    ):
        self.settings = dict(settings or {})
        self.seed = seed
        self.shop = shop
        self.workers = workers
        self.threads = threads
        self.keep_alive = keep_alive
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.directory = None
        self.data = None
        self.process = None

    def start(self):
        self.directory = Path(tempfile.mkdtemp(prefix="omni-edge-origin-"))
        self.log_path = self.directory / "gunicorn.log"
        try:
            if self.shop is None:
                self.data = ShopData(self.directory / "shop", self.settings).create()
            else:
                self.data = self.shop.copy(self.directory / "shop", self.settings)
            if self.seed is not None:
                self.manage("shell", "-c", self._seed_code())
            self._serve()
        except BaseException:
            self.stop()
            raise
        return self

    def _seed_code(self):
        if callable(self.seed):
            module, name = self.seed.__module__, self.seed.__qualname__
            return f"from {module} import {name}; {name}()"
        return self.seed

    def manage(self, *arguments):
        """Run a management command against the origin's database; returns its output."""
        return self.data.manage(*arguments)

    def _serve(self):
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                [
                    gunicorn_path(),
                    "sandbox.wsgi",
                    f"--bind=127.0.0.1:{self.port}",
                    f"--workers={self.workers}",
                    f"--threads={self.threads}",
                    f"--keep-alive={self.keep_alive}",
                    "--graceful-timeout=5",
                ],
                cwd=REPOSITORY,
                env=self.data.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(f"{self.url}/omni/health/", 60, self.process, self.log_path)

    def stop(self):
        stop_process_group(self.process)
        self.process = None
        if self.data is not None:
            self.data.remove()
            self.data = None
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None


class Varnish(Server):
    """varnishd on 127.0.0.1 running ``vcl`` with its backend's port set to ``backend_port``."""

    def __init__(self, backend_port, vcl=VCL, params=(), port=None):
        self.backend_port = backend_port
        self.vcl = Path(vcl)
        self.params = params
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.directory = None
        self.process = None

    def start(self):
        self.directory = Path(tempfile.mkdtemp(prefix="omni-edge-varnish-"))
        # varnishd reads the VCL and works in its directory as its own unprivileged user.
        self.directory.chmod(0o755)
        vcl_path = self.directory / "omni.vcl"
        vcl_path.write_text(self._vcl_for_backend())
        self.log_path = self.directory / "varnishd.log"
        command = [
            shutil.which("varnishd"),
            "-F",
            *("-f", str(vcl_path)),
            *("-a", f"127.0.0.1:{self.port}"),
            *("-n", str(self.directory / "work")),
            *("-s", "malloc,256m"),
        ]
        for param in self.params:
            command += ["-p", param]
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            # Any answer will do, even the backend's error: Varnish is up.
            wait_for(f"{self.url}/omni/health/", 30, self.process, self.log_path, accept=range(600))
        except BaseException:
            self.stop()
            raise
        return self

    def _vcl_for_backend(self):
        vcl, count = re.subn(
            r'(\.port\s*=\s*")\d+(")', rf"\g<1>{self.backend_port}\g<2>", self.vcl.read_text()
        )
        if count != 1:
            raise ValueError(f"{self.vcl} should have one backend with a .port, not {count}")
        return vcl

    def admin(self, *arguments):
        """Run a varnishadm command (``ban.list``, ``param.show ...``); returns its output."""
        return subprocess.run(
            ["varnishadm", "-n", str(self.directory / "work"), *arguments],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def stop(self):
        stop_process_group(self.process)
        self.process = None
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None
