"""Where the plugin's background work runs: in-process by default, on Celery when configured.

The plugin's tasks are django-tasks ``@task()`` functions. ``routing`` names the queue each
one belongs on; ``celery_backend`` is the task backend that hands them to Celery workers.
"""
