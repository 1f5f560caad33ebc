from oscar.apps.checkout.models import *  # noqa: F403  (the fork keeps Oscar's models)
