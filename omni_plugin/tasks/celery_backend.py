"""A django-tasks backend that hands each enqueued task to a Celery worker.

    TASKS = {"default": {"BACKEND": "omni_plugin.tasks.celery_backend.CeleryBackend"}}

Each enqueued task becomes one message for the generic Celery task (``execution``), on the
queue ``routing.queue_for`` names, delayed to its ``run_after`` when it has one. The
Celery app is ``omni_plugin.celery.app`` unless ``OPTIONS = {"APP": "shop.celery.app"}``
names the shop's own, set up with ``omni_plugin.celery.setup``. Without ``QUEUES``, any
queue name is accepted. Results are not kept: the plugin's tasks write what they do in
the database.
"""

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id

from .execution import RUN_TASK, task_result
from .routing import queue_for

DEFAULT_APP = "omni_plugin.celery.app"


class CeleryBackend(BaseTaskBackend):
    supports_defer = True

    def __init__(self, alias, params):
        super().__init__(alias, params)
        if "QUEUES" not in params:
            self.queues = set()
        self.app_path = self.options.get("APP", DEFAULT_APP)

    @cached_property
    def app(self):
        return import_string(self.app_path)

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        result = task_result(
            task, get_random_id(), TaskResultStatus.READY, args, kwargs, enqueued_at=timezone.now()
        )
        self.app.send_task(
            RUN_TASK,
            args=(task.module_path, result.args, result.kwargs),
            task_id=result.id,
            queue=queue_for(task.module_path, task.queue_name),
            eta=task.run_after,
        )
        task_enqueued.send(type(self), task_result=result)
        return result
