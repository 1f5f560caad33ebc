"""Keeping subscriptions in step with the profiles they belong to."""

from django.dispatch import receiver

from omni_plugin.signals import merge_undone, profile_erased, profiles_merged

from .models import PushSubscription


@receiver(profile_erased)
def forget_erased_subscriptions(profile_ids, **kwargs):
    """An erased person's browsers get nothing more: their subscriptions go."""
    PushSubscription.objects.filter(profile_id__in=profile_ids).delete()


@receiver(profiles_merged)
def follow_merge(survivor_id, merged_id, **kwargs):
    """The merged profile's browsers are the survivor's: campaigns target them through it."""
    PushSubscription.objects.filter(profile_id=merged_id).update(profile_id=survivor_id)


@receiver(merge_undone)
def follow_undo(merged_id, profile_ids, **kwargs):
    """Browsers subscribed by the profiles an undo separates go back with them."""
    PushSubscription.objects.filter(origin_profile_id__in=profile_ids).update(profile_id=merged_id)
