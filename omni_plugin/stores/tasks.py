"""Click and collect work done apart from requests: expiring the pickups nobody collected.

Run by a worker when the shop configures one, in-process otherwise.
"""

from django_tasks import task

from .pickup_lifecycle import expire_due


@task()
def expire_pickups():
    """Expire the ready pickups whose hold has ended and release their stock; how many.

    Run it every hour or so: by the shop's periodic scheduler, or
    ``manage.py omni_pickups_expire``. Running it twice expires nothing twice.
    """
    return expire_due()
