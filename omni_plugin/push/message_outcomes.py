"""Messages sent by web push learn what became of them as the push app records outcomes."""

from django.dispatch import receiver

from omni_plugin.messaging.sending import settle_messages

from .channel import message_id_of
from .signals import deliveries_settled


@receiver(deliveries_settled)
def settle_pushed_messages(keys, **kwargs):
    message_ids = [message_id_of(key) for key in keys]
    settle_messages([message_id for message_id in message_ids if message_id is not None])
