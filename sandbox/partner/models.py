from oscar.apps.partner.models import *  # noqa: F403  (the fork keeps Oscar's models)
