"""Keeping messages in step with the profiles they were sent to: erasure, export, merges."""

from django.db.models import Exists, OuterRef
from django.dispatch import receiver

from omni_plugin.core.signals import merge_undone, profile_erased, profile_exported, profiles_merged
from omni_plugin.messaging.models import Message

Status = Message.Status


@receiver(profile_erased)
def forget_erased_messages(profile_ids, **kwargs):
    """What the shop said to an erased person goes with the rest of their profile."""
    Message.objects.filter(profile_id__in=profile_ids).delete()


@receiver(profile_exported)
def export_messages(profile_ids, **kwargs):
    """The messages the person was sent, or was not and why, for their copy of their data."""
    messages = Message.objects.filter(profile_id__in=profile_ids).order_by("created_at", "pk")
    return {
        "messages": [
            {
                "intent": message.intent,
                "status": message.status,
                "reason": message.reason,
                "channel": message.channel,
                "title": (message.content or {}).get("title", ""),
                "created_at": _iso(message.created_at),
                "sent_at": _iso(message.sent_at),
            }
            for message in messages
        ]
    }


@receiver(profiles_merged)
def follow_merge(survivor_id, merged_id, **kwargs):
    """The merged profile's messages join the survivor's, so it is never told a thing twice.

    A message about something the survivor was already told (same intent and key) stays
    on the merged profile: one profile holds each such message once.
    """
    told_survivor = _unskipped_with_key().filter(
        profile_id=survivor_id, intent=OuterRef("intent"), key=OuterRef("key")
    )
    said_twice = _unskipped_with_key().filter(profile_id=merged_id).filter(Exists(told_survivor))
    moving = Message.objects.filter(profile_id=merged_id).exclude(pk__in=said_twice)
    Message.objects.filter(pk__in=list(moving.values_list("pk", flat=True))).update(
        profile_id=survivor_id
    )


@receiver(merge_undone)
def follow_undo(merged_id, profile_ids, **kwargs):
    """Messages that went to the profiles an undo separates return with them."""
    Message.objects.filter(origin_profile_id__in=profile_ids).exclude(
        profile_id__in=profile_ids
    ).update(profile_id=merged_id)


def _unskipped_with_key():
    """The messages the once-per-key rule covers."""
    return Message.objects.exclude(key="").exclude(status=Status.SKIPPED)


def _iso(moment):
    return None if moment is None else moment.isoformat()
