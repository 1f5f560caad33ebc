"""Writing banner counts to the database: run by a worker, or in-process by default."""

from django_tasks import task

from .tracking import flush_stats


@task()
def flush_banner_stats():
    """Move the impressions and clicks counted in the cache into ``BannerStat``."""
    return flush_stats()
