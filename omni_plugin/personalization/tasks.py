"""Segment work too heavy for a request: run by a worker, or in-process by default."""

from django_tasks import task

from .evidence import refresh_evidence
from .memberships import refresh_memberships


@task()
def refresh_segments():
    """Bring every profile's rule evidence and stored memberships up to date.

    Run after segments change and on a schedule (``manage.py omni_refresh_segments``), so
    that memberships follow the passing of time for profiles that are not visiting.
    """
    refresh_evidence()
    refresh_memberships()
