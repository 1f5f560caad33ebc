"""Banner work done apart from requests: writing counts to the database and purging the
edge. Run by a worker, or in-process by default."""

from django_tasks import task

from .purging import ban
from .tracking import flush_stats


@task()
def flush_banner_stats():
    """Move the impressions and clicks counted in the cache into ``BannerStat``."""
    return flush_stats()


@task()
def purge_fragments(tags):
    """Ban the edge's fragments tagged with any of ``tags``."""
    return ban(tags)
