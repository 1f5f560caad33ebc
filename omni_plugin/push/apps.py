from django.core import checks
from django.utils.translation import gettext_lazy as _

from omni_plugin import wiring

from . import conf  # noqa: F401  (registers the app's settings)


class PushConfig(wiring.OmniAppConfig):
    name = "omni_plugin.push"
    label = "omni_push"
    verbose_name = _("Web push")

    def wire(self):
        from omni_plugin.messaging.channels import register_channel

        from . import message_outcomes, receivers  # noqa: F401
        from .channel import PushChannel
        from .checks import check_vapid

        register_channel(PushChannel())
        checks.register(check_vapid)
