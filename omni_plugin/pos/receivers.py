"""An erased customer's in-store orders stay, as sales of nobody in particular."""

from django.dispatch import receiver

from omni_plugin.core.signals import profile_erased
from omni_plugin.pos.models import StoreOrder


@receiver(profile_erased)
def forget_erased_customers(sender, profile_ids, **kwargs):
    StoreOrder.objects.filter(profile_id__in=profile_ids).update(profile=None)
