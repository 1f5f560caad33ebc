"""Celery for the plugin's tasks: a ready app, and the set-up for a shop's own app.

With ``TASKS`` pointing at ``omni_plugin.tasks.celery_backend.CeleryBackend`` and
``CELERY_BROKER_URL`` in the settings, a shop without a Celery app of its own runs::

    celery -A omni_plugin.celery worker -Q omni_push,omni_models,omni_default
    celery -A omni_plugin.celery beat

A shop with its own app calls ``setup(app)`` on it and names it in the backend's
``OPTIONS = {"APP": "shop.celery.app"}``. ``setup`` registers the generic task that runs
every django-task (acknowledged only once it has run, and given back to the queue when
its worker dies), makes workers take one message at a time, and adds the periodic work
of ``PERIODIC`` to the beat schedule (the shop's own entries of the same name win).
"""

from datetime import timedelta

from celery import Celery
from celery.schedules import crontab

from .tasks.execution import RUN_TASK, run_task
from .tasks.routing import queue_for

MINUTE = timedelta(minutes=1)

#: (name, task, when, seconds after which a run not started yet is dropped)
PERIODIC = (
    ("omni-push-dispatch", "omni_plugin.push.tasks.dispatch_push", MINUTE, 55),
    ("omni-messaging-dispatch", "omni_plugin.messaging.tasks.dispatch_messages", MINUTE, 55),
    ("omni-banner-stats-flush", "omni_plugin.banners.tasks.flush_banner_stats", 5 * MINUTE, 290),
    ("omni-pickups-expire", "omni_plugin.stores.tasks.expire_pickups", crontab(minute=0), 3000),
    (
        "omni-segments-refresh",
        "omni_plugin.personalization.tasks.refresh_segments",
        crontab(minute=15),
        3000,
    ),
    (
        "omni-alerts-cleanup",
        "omni_plugin.stores.alerts.cleanup.delete_unconfirmed_alerts",
        crontab(hour=4, minute=0),
        3000,
    ),
    (
        "omni-recs-build",
        "omni_plugin.personalization.recs.build.build_recommendations",
        crontab(hour=3, minute=30),
        4 * 60 * 60,
    ),
)


def beat_schedule():
    """The plugin's periodic work as Celery beat entries, each sent to its task's queue."""
    return {
        name: {
            "task": RUN_TASK,
            "schedule": schedule,
            "args": (task_path, [], {}),
            "options": {"queue": queue_for(task_path), "expires": expires},
        }
        for name, task_path, schedule, expires in PERIODIC
    }


def setup(app):
    """Make ``app`` run the plugin's tasks and its periodic work; returns ``app``."""
    app.task(
        name=RUN_TASK, bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True
    )(run_task)
    app.add_defaults({"worker_prefetch_multiplier": 1})

    def add_schedule(sender, **kwargs):
        sender.conf.beat_schedule = {**beat_schedule(), **(sender.conf.beat_schedule or {})}

    app.on_after_configure.connect(add_schedule, weak=False)
    return app


app = setup(Celery("omni_plugin", set_as_current=False))
app.config_from_object("django.conf:settings", namespace="CELERY")
