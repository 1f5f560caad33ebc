from oscar.apps.partner.admin import *  # noqa: F403  (the fork keeps Oscar's admin)
