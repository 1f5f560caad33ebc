"""Keeping subscriptions in step with the profiles they belong to."""

from django.dispatch import receiver

from omni_plugin.signals import profile_erased

from .models import PushSubscription


@receiver(profile_erased)
def forget_erased_subscriptions(profile_ids, **kwargs):
    """An erased person's browsers get nothing more: their subscriptions go."""
    PushSubscription.objects.filter(profile_id__in=profile_ids).delete()
