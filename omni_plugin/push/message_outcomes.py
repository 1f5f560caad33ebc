"""Messages sent by web push learn what became of them as the push app records outcomes."""

from django.dispatch import receiver

from omni_plugin.messaging.sending import settle

from .channel import message_id_of
from .signals import deliveries_settled


@receiver(deliveries_settled)
def settle_pushed_messages(keys, **kwargs):
    for key in keys:
        if (message_id := message_id_of(key)) is not None:
            settle(message_id)
