"""Messages sent by web push learn what became of them as the push app records outcomes."""

from django.dispatch import receiver

from push.signals import deliveries_settled

from .channels.push import message_id_of
from .sending import settle


@receiver(deliveries_settled)
def settle_pushed_messages(keys, **kwargs):
    for key in keys:
        if (message_id := message_id_of(key)) is not None:
            settle(message_id)
