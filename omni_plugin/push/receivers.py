"""Keeping subscriptions in step with the profiles they belong to."""

from django.dispatch import receiver

from omni_plugin.core.signals import merge_undone, profile_erased, profile_exported, profiles_merged

from .models import Delivery, PushSubscription

SUBSCRIPTION_FIELDS = (
    *("endpoint", "created_at", "active", "deactivated_at", "deactivation_reason"),
    *("country", "region", "city", "time_zone", "latitude", "longitude", "device", "language"),
)


@receiver(profile_erased)
def forget_erased_subscriptions(profile_ids, **kwargs):
    """An erased person's browsers get nothing more: their subscriptions go."""
    PushSubscription.objects.filter(profile_id__in=profile_ids).delete()


@receiver(profile_exported)
def export_subscriptions(profile_ids, **kwargs):
    """The person's browsers and the pushes sent to them, for their copy of their data."""
    subscriptions = PushSubscription.objects.filter(profile_id__in=profile_ids).order_by("pk")
    deliveries = Delivery.objects.filter(subscription__in=subscriptions).order_by("pk")
    return {
        "push_subscriptions": [
            {name: _plain(value) for name, value in row.items()}
            for row in subscriptions.values(*SUBSCRIPTION_FIELDS)
        ],
        "push_deliveries": [
            {
                "endpoint": delivery.subscription.endpoint,
                "title": delivery.campaign.title
                if delivery.campaign_id
                else (delivery.message or {}).get("title", ""),
                "status": delivery.status,
                **{
                    moment: _plain(getattr(delivery, moment))
                    for moment in ("sent_at", "shown_at", "clicked_at")
                },
            }
            for delivery in deliveries.select_related("subscription", "campaign")
        ],
    }


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@receiver(profiles_merged)
def follow_merge(survivor_id, merged_id, **kwargs):
    """The merged profile's browsers are the survivor's: campaigns target them through it."""
    PushSubscription.objects.filter(profile_id=merged_id).update(profile_id=survivor_id)


@receiver(merge_undone)
def follow_undo(merged_id, profile_ids, **kwargs):
    """Browsers subscribed by the profiles an undo separates go back with them."""
    PushSubscription.objects.filter(origin_profile_id__in=profile_ids).update(profile_id=merged_id)
