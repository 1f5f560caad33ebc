"""Live banners and slots compiled to plain data once, cached until an editor changes one.

Choosing a variant then costs no query (``omni_plugin.core.compiled_cache`` keeps the result).
Saving, publishing, unpublishing or deleting a banner, a slot or a placement gives a new
version.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import published, unpublished

from omni_plugin.core.compiled_cache import CompiledCache
from omni_plugin.stores.models import Store

from .models import Banner, Slot, SlotBanner
from .targeting import Targeting, compile_targeting

CREATIVE = "creative"


@dataclass(frozen=True)
class CompiledVariant:
    id: str
    name: str
    kind: str
    #: The content's fields; a creative's ``image`` is the Wagtail image (or None).
    content: dict
    targeting: Targeting
    weight: int
    fallback: bool

    @property
    def personal(self):
        """Whether what it shows depends on the visitor, beyond the targeting it passed.

        Product strips leave out what the visitor has in their basket or bought.
        """
        return self.kind != CREATIVE


@dataclass(frozen=True)
class CompiledBanner:
    id: int
    name: str
    ab_test: bool
    holdout_percent: int
    frequency_cap: int | None
    go_live_at: datetime | None
    expire_at: datetime | None
    #: The variants that compete, in the editor's order; the fallback is apart.
    variants: tuple
    fallback: CompiledVariant | None

    def is_live_at(self, moment):
        """Whether the schedule allows it: the scheduler may not have run yet."""
        if self.go_live_at and self.go_live_at > moment:
            return False
        return not (self.expire_at and self.expire_at <= moment)

    @property
    def all_variants(self):
        return self.variants + ((self.fallback,) if self.fallback else ())


@dataclass(frozen=True)
class CompiledBanners:
    #: Live banners by id.
    banners: dict
    #: Slot key to the ids of its live banners, in priority order.
    slots: dict
    #: Every slot's key by its id.
    slot_keys: dict
    #: Slot key to the render mode its editor chose, for slots that chose one.
    slot_modes: dict

    def banners_of_slot(self, key):
        return [self.banners[banner_id] for banner_id in self.slots.get(key, ())]


def compile_variant(child):
    """A ``CompiledVariant`` from a variant of a banner's ``variants`` StreamField."""
    value = child.value
    content = value["content"][0]
    return CompiledVariant(
        id=child.id,
        name=value["name"],
        kind=content.block_type,
        content=dict(content.value.items()),
        targeting=compile_targeting(value["targeting"]),
        weight=value["weight"] or 0,
        fallback=bool(value["fallback"]),
    )


def compile_banner(banner):
    variants = [compile_variant(child) for child in banner.variants]
    return CompiledBanner(
        id=banner.pk,
        name=banner.name,
        ab_test=banner.choice == Banner.Choice.AB_TEST,
        holdout_percent=banner.holdout_percent,
        frequency_cap=banner.frequency_cap,
        go_live_at=banner.go_live_at,
        expire_at=banner.expire_at,
        variants=tuple(variant for variant in variants if not variant.fallback),
        fallback=next((variant for variant in variants if variant.fallback), None),
    )


def _compile_live():
    banners = {banner.pk: compile_banner(banner) for banner in Banner.objects.filter(live=True)}
    slots = {}
    placements = SlotBanner.objects.filter(banner__live=True).order_by("sort_order", "pk")
    for key, banner_id in placements.values_list("slot__key", "banner_id"):
        slots.setdefault(key, []).append(banner_id)
    every_slot = Slot.objects.values_list("pk", "key", "render_mode")
    return CompiledBanners(
        banners,
        {key: tuple(ids) for key, ids in slots.items()},
        {pk: key for pk, key, _mode in every_slot},
        {key: mode for _pk, key, mode in every_slot if mode},
    )


_live = CompiledCache("banners", _compile_live)


def live_banners(recheck=False):
    """The live banners and slots, compiled: one small cache read when nothing changed.

    ``recheck`` makes sure they are current, for what the edge keeps: a fragment rendered
    from banners a moment old would outlive the purge that followed their change.
    """
    return _live.get(recheck)


def forget_compiled():
    """Make every process compile the banners again on its next request."""
    _live.forget()


@receiver(published, sender=Banner)
@receiver(unpublished, sender=Banner)
@receiver(post_save, sender=Banner)
@receiver(post_delete, sender=Banner)
@receiver(post_save, sender=Slot)
@receiver(post_delete, sender=Slot)
@receiver(post_save, sender=SlotBanner)
@receiver(post_delete, sender=SlotBanner)
@receiver(post_save, sender=Store)  # a variant within a radius of a store uses its place
@receiver(post_delete, sender=Store)
def banners_changed(**kwargs):
    forget_compiled()
    transaction.on_commit(forget_compiled)  # a reader may have compiled the old ones meanwhile
