"""Segments are recompiled, and memberships refreshed, when an editor changes one."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .compiled import forget_compiled
from .models import Segment
from .tasks import refresh_segments


@receiver(post_save, sender=Segment)
@receiver(post_delete, sender=Segment)
def segment_changed(sender, **kwargs):
    forget_compiled()
    transaction.on_commit(forget_compiled)  # a reader may have cached the old ones meanwhile
    transaction.on_commit(refresh_segments.enqueue)
