"""Settings of the Celery workers the integration tests start: the test settings, on the
test's own database and broker (``DATABASE_URL``, ``CELERY_BROKER_URL`` and, for the keys
of this run alone, ``OMNI_BROKER_KEY_PREFIX``)."""

import os

from tests.settings import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": os.environ["OMNI_BROKER_KEY_PREFIX"]}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
