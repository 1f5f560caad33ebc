from django.utils.translation import gettext_lazy as _

from omni_plugin import wiring

from . import conf  # noqa: F401  (registers the app's settings)


class MessagingConfig(wiring.OmniAppConfig):
    name = "omni_plugin.messaging"
    label = "omni_messaging"
    verbose_name = _("Messaging")

    def wire(self):
        from . import receivers  # noqa: F401
        from .channels import register_channel
        from .channels.email import EmailChannel
        from .channels.onsite import OnSiteChannel
        from .channels.sms import SMSChannel
        from .journeys import receivers as journey_receivers  # noqa: F401

        for channel in (EmailChannel(), OnSiteChannel(), SMSChannel()):
            register_channel(channel)
