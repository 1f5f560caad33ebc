"""An erased customer's in-store orders stay, as sales of nobody in particular."""

from django.dispatch import receiver

from ..models import StoreOrder
from ..signals import profile_erased


@receiver(profile_erased)
def forget_erased_customers(sender, profile_ids, **kwargs):
    StoreOrder.objects.filter(profile_id__in=profile_ids).update(profile=None)
