"""The messages section of a customer profile's page."""

from django.utils.translation import gettext_lazy as _

from omni_plugin.core.admin.panels import ProfilePanel, moment

from .intents import INTENTS
from .models import Message

MESSAGES_SHOWN = 25


class MessagesPanel(ProfilePanel):
    """The newest messages to the profile: sent, deferred or skipped, and why."""

    name = "messages"
    heading = _("Messages")
    order = 850
    template_name = "omni/messaging/admin/messages_panel.html"

    def get_panel_data(self):
        messages = Message.objects.filter(profile=self.profile)[:MESSAGES_SHOWN]
        return {"rows": [self._row(message) for message in messages]}

    @staticmethod
    def _row(message):
        intent = INTENTS.get(message.intent)
        return {
            "message": message,
            "intent": intent.label if intent else message.intent,
            "title": (message.content or {}).get("title", ""),
            "attempts": [
                {**attempt, "at": moment(attempt.get("at"))} for attempt in message.attempts
            ],
        }
