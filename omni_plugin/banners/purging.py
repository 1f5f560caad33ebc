"""Purging fragments at the edge when what they show changes.

Every fragment is tagged (``Surrogate-Key``) with its slot and the banners it may show.
When a banner, a slot or a placement changes, the tags it touches are banned on every
Varnish of ``OMNI_EDGE_PURGE_URLS`` once the change is committed, by a task.
"""

import logging

import requests
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import published, unpublished

from omni_plugin.conf import omni_settings

from .models import Banner, Slot, SlotBanner

TAG_HEADER = "Omni-Ban-Tag"
TIMEOUT_SECONDS = 5

logger = logging.getLogger(__name__)


def slot_tag(key):
    return f"omni-slot-{key}"


def banner_tag(banner_id):
    return f"omni-banner-{banner_id}"


def ban(tags):
    """Send a BAN for each tag to each edge server; returns how many were accepted."""
    accepted = 0
    with requests.Session() as session:
        for url in omni_settings.EDGE_PURGE_URLS:
            for tag in tags:
                try:
                    response = session.request(
                        "BAN",
                        url.rstrip("/") + "/",
                        headers={TAG_HEADER: tag},
                        timeout=TIMEOUT_SECONDS,
                    )
                    response.raise_for_status()
                    accepted += 1
                except requests.RequestException as error:
                    logger.error("The edge at %s did not ban %s: %s", url, tag, error)
    return accepted


def purge_after_commit(*tags):
    if not omni_settings.EDGE_PURGE_URLS:
        return
    from .tasks import purge_fragments  # tasks imports this module

    transaction.on_commit(lambda: purge_fragments.enqueue(list(tags)))


@receiver(published, sender=Banner)
@receiver(unpublished, sender=Banner)
@receiver(post_save, sender=Banner)
@receiver(post_delete, sender=Banner)
def banner_changed(instance, **kwargs):
    purge_after_commit(banner_tag(instance.pk))


@receiver(post_save, sender=Slot)
@receiver(post_delete, sender=Slot)
def slot_changed(instance, **kwargs):
    purge_after_commit(slot_tag(instance.key))


@receiver(post_save, sender=SlotBanner)
@receiver(post_delete, sender=SlotBanner)
def placement_changed(instance, **kwargs):
    tags = [banner_tag(instance.banner_id)]
    # The slot may be going too (a cascade): its key is read while the row is still there.
    key = Slot.objects.filter(pk=instance.slot_id).values_list("key", flat=True).first()
    purge_after_commit(*tags, *([slot_tag(key)] if key else []))
