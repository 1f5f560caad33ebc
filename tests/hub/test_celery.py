"""The plugin's tasks on Celery: each enqueued django-task is a message on its queue, which
a worker runs by the task's import path; beat runs the periodic work. A broker in memory
stands in for Redis here; tests/integration/ runs real workers."""

import subprocess
import sys

import pytest
from celery import Celery
from django.test import override_settings
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task

from omni_plugin.celery import beat_schedule, setup
from omni_plugin.tasks.execution import RUN_TASK
from omni_plugin.tasks.routing import queue_for

CELERY_APP = setup(Celery("omni-tests", broker="memory://", set_as_current=False))
ON_CELERY = {
    "default": {
        "BACKEND": "omni_plugin.tasks.celery_backend.CeleryBackend",
        "OPTIONS": {"APP": "tests.hub.test_celery.CELERY_APP"},
    }
}
QUEUES = ("omni_push", "omni_models", "omni_default", "mail")
ran = []


@task()
def remember(value, times=1):
    ran.append(value * times)


@task(takes_context=True)
def remember_attempt(context):
    ran.append((context.task_result.id, context.attempt))


@pytest.fixture
def broker():
    """The messages sent to each queue, read back from the broker in memory."""
    ran.clear()
    with CELERY_APP.connection_for_read() as connection:
        queues = {name: connection.SimpleQueue(name) for name in QUEUES}
        for queue in queues.values():
            queue.clear()

        def messages(name):
            queue, found = queues[name], []
            while True:
                try:
                    message = queue.get(block=False)
                except queue.Empty:
                    return found
                message.ack()
                found.append(message)

        with override_settings(TASKS=ON_CELERY):
            yield messages
        for queue in queues.values():
            queue.close()


def run(message):
    """What a worker does with ``message``."""
    args, kwargs, _ = message.decode()
    return CELERY_APP.tasks[message.headers["task"]].apply(
        args=args, kwargs=kwargs, task_id=message.headers["id"]
    )


def test_the_plugins_tasks_go_on_the_queue_of_their_kind_of_work(broker):
    from omni_plugin.personalization.recs.build import build_recommendations
    from omni_plugin.push.tasks import send_delivery_chunk
    from omni_plugin.stores.tasks import expire_pickups

    send_delivery_chunk.enqueue([1, 2, 3])
    build_recommendations.enqueue()
    expire_pickups.enqueue()

    [push] = broker("omni_push")
    assert push.headers["task"] == RUN_TASK
    assert push.decode()[0] == ["omni_plugin.push.tasks.send_delivery_chunk", [[1, 2, 3]], {}]
    assert [m.decode()[0][0] for m in broker("omni_models")] == [
        "omni_plugin.personalization.recs.build.build_recommendations"
    ]
    assert [m.decode()[0][0] for m in broker("omni_default")] == [
        "omni_plugin.stores.tasks.expire_pickups"
    ]


def test_a_worker_runs_the_django_task_the_message_names(broker):
    result = remember.enqueue("ab", times=2)

    [message] = broker("omni_default")
    assert message.headers["id"] == result.id
    assert run(message).successful()
    assert ran == ["abab"]


def test_a_task_that_takes_its_context_gets_its_id_and_attempt(broker):
    result = remember_attempt.enqueue()

    run(*broker("omni_default"))
    assert ran == [(result.id, 1)]


def test_a_message_that_names_no_task_fails_and_runs_nothing():
    outcome = CELERY_APP.tasks[RUN_TASK].apply(args=("omni_plugin.conf.omni_settings", [], {}))

    assert outcome.failed()
    assert "is not a django-tasks task" in str(outcome.result)


def test_a_task_with_a_queue_of_its_own_keeps_it(broker):
    remember.using(queue_name="mail").enqueue("x")

    assert len(broker("mail")) == 1
    assert broker("omni_default") == []


def test_the_longest_prefix_in_omni_task_queues_wins(settings):
    settings.OMNI_TASK_QUEUES = {
        "omni_plugin.stores": "omni_stores",
        "omni_plugin.stores.tasks.send_alerts": "alerts",
    }

    assert queue_for("omni_plugin.stores.tasks.send_alerts") == "alerts"
    assert queue_for("omni_plugin.stores.tasks.expire_pickups") == "omni_stores"
    assert queue_for("omni_plugin.storesque.tasks.anything") == "omni_default"
    assert queue_for("omni_plugin.push.tasks.dispatch_push") == "omni_default"


def test_beat_runs_each_periodic_task_on_its_queue():
    schedule = beat_schedule()

    for entry in schedule.values():
        task_path = entry["args"][0]
        assert isinstance(import_string(task_path), Task)
        assert entry["task"] == RUN_TASK
        assert entry["options"]["queue"] == queue_for(task_path)
    assert schedule["omni-push-dispatch"]["schedule"].total_seconds() == 60
    assert schedule["omni-recs-build"]["options"]["queue"] == "omni_models"


def test_a_shops_own_beat_entry_of_the_same_name_wins():
    app = Celery("shop", broker="memory://", set_as_current=False)
    app.conf.beat_schedule = {"omni-recs-build": {"task": "shop.nightly", "schedule": 3600}}
    setup(app)

    assert app.conf.beat_schedule["omni-recs-build"]["task"] == "shop.nightly"
    assert app.conf.beat_schedule["omni-push-dispatch"]["task"] == RUN_TASK


def test_the_plugin_runs_and_sends_in_process_without_celery_installed():
    """Celery is an extra: nothing but the Celery modules themselves may need it."""
    code = """
import sys
sys.modules["celery"] = None  # as if it were not installed
import django
django.setup()
from django.core.management import call_command
call_command("check")
from omni_plugin.banners.tasks import purge_fragments
from django_tasks import task_backends
print(type(task_backends["default"]).__name__, purge_fragments.enqueue(["slot-1"]).status)
"""
    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": "sqlite://:memory:",
            "PATH": "/usr/bin:/bin",
        },
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split()[-2:] == ["ImmediateBackend", "SUCCESSFUL"]
