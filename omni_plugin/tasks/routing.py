"""The queue each task belongs on, so that workers can be sized per kind of work.

A task names its queue itself when its ``queue_name`` is not the default one; otherwise
``OMNI_TASK_QUEUES`` maps its import path, or the longest dotted prefix of it that it
names, to a queue; anything else goes on ``DEFAULT_QUEUE``.
"""

from django_tasks import DEFAULT_TASK_QUEUE_NAME

from omni_plugin.conf import omni_settings

DEFAULT_QUEUE = "omni_default"


def queue_for(task_path, queue_name=DEFAULT_TASK_QUEUE_NAME):
    """The queue of the task at ``task_path`` (``"omni_plugin.push.tasks.send_delivery_chunk"``)."""
    if queue_name != DEFAULT_TASK_QUEUE_NAME:
        return queue_name
    routes = omni_settings.TASK_QUEUES
    parts = task_path.split(".")
    for length in range(len(parts), 0, -1):
        queue = routes.get(".".join(parts[:length]))
        if queue:
            return queue
    return DEFAULT_QUEUE
