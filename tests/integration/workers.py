"""Real Celery workers in processes of their own, on the test's database and a Redis broker.

    with CeleryWorker(broker, database_url, {"OMNI_PUSH_VAPID_PUBLIC_KEY": ...}) as worker:
        ...
        worker.kill()  # SIGKILL, as a machine that dies
        worker.terminate()  # SIGTERM, as a deploy or an autoscaler stops it

``Broker`` is a Redis database with keys of its own (a prefix per test process), which the
enqueuing side (``APP``) and the workers share; leaving it deletes them.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import redis
from celery import Celery

from omni_plugin.celery import setup
from tests.edge.servers import Server, stop_process_group

REPOSITORY = Path(__file__).resolve().parents[2]
QUEUES = "omni_push,omni_models,omni_default"
#: The enqueuing side's Celery app; ``Broker`` points it at the test's broker.
APP = setup(Celery("omni-integration", set_as_current=False))
ON_CELERY = {
    "default": {
        "BACKEND": "omni_plugin.tasks.celery_backend.CeleryBackend",
        "OPTIONS": {"APP": "tests.integration.workers.APP"},
    }
}


class Broker:
    def __init__(self, url):
        self.url = url
        self.key_prefix = f"omni-integration-{uuid.uuid4().hex[:12]}:"

    def __enter__(self):
        APP.conf.update(
            broker_url=self.url,
            broker_transport_options={"global_keyprefix": self.key_prefix},
        )
        return self

    def __exit__(self, *exc_info):
        client = redis.Redis.from_url(self.url)
        keys = list(client.scan_iter(f"{self.key_prefix}*"))
        if keys:
            client.delete(*keys)
        APP.close()


class CeleryWorker(Server):
    """``celery worker`` on every queue of the plugin, with ``concurrency`` processes."""

    def __init__(self, broker, database_url, environment=None, concurrency=2):
        self.env = {
            **os.environ,
            **(environment or {}),
            "DJANGO_SETTINGS_MODULE": "tests.integration.worker_settings",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker.url,
            "OMNI_BROKER_KEY_PREFIX": broker.key_prefix,
        }
        self.concurrency = concurrency
        self.process = None

    def start(self, timeout=60):
        self.directory = Path(tempfile.mkdtemp(prefix="omni-celery-worker-"))
        self.log_path = self.directory / "worker.log"
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "omni_plugin.celery",
                    "worker",
                    f"--queues={QUEUES}",
                    f"--concurrency={self.concurrency}",
                    f"--hostname=omni-{uuid.uuid4().hex[:8]}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel=INFO",
                ],
                cwd=REPOSITORY,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while " ready." not in self.log():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"The Celery worker did not start:\n{self.log()}")
            time.sleep(0.2)
        return self

    def log(self):
        return self.log_path.read_text()

    def kill(self):
        """Kill the worker and its processes at once: nothing is acknowledged or written."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def terminate(self, timeout=60):
        """Stop the worker as a deploy does: it finishes and writes down the tasks it is
        running, and gives the messages it had not started back to the broker."""
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout)

    def stop(self):
        stop_process_group(self.process)
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None
