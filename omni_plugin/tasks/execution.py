"""Running a django-task on a Celery worker: one generic Celery task for every django-task.

The message names the django-task by its import path and carries its arguments, so a new
``@task()`` needs nothing registered with Celery.
"""

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task, TaskContext, TaskResult, TaskResultStatus

RUN_TASK = "omni_plugin.run_task"


def run_task(celery_task, task_path, args, kwargs):
    """Call the django-task at ``task_path``; ``celery_task`` is the bound Celery task."""
    task = import_string(task_path)
    if not isinstance(task, Task):
        raise TypeError(f"{task_path} is not a django-tasks task.")
    if task.takes_context:
        context = TaskContext(task_result=_running_result(task, celery_task.request, args, kwargs))
        return task.call(context, *args, **kwargs)
    return task.call(*args, **kwargs)


def task_result(task, result_id, status, args, kwargs, **fields):
    """A django-tasks ``TaskResult`` of ``task``; ``fields`` are its times and workers."""
    return TaskResult(
        task=task,
        id=result_id,
        status=status,
        args=list(args),
        kwargs=dict(kwargs),
        backend=task.backend,
        errors=[],
        **{
            "enqueued_at": None,
            "started_at": None,
            "last_attempted_at": None,
            "finished_at": None,
            "worker_ids": [],
            **fields,
        },
    )


def _running_result(task, request, args, kwargs):
    now = timezone.now()
    return task_result(
        task,
        request.id,
        TaskResultStatus.RUNNING,
        args,
        kwargs,
        started_at=now,
        last_attempted_at=now,
        worker_ids=[request.hostname or ""] * (request.retries + 1),
    )
