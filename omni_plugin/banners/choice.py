"""Which banner and variant a visitor sees in a slot: schedule, cap, targeting, A/B bucket.

    from omni_plugin.banners.choice import choose

    choice = choose("home-hero", request)  # a slot key, a Slot, a Banner or a banner id
    if choice:
        choice.banner, choice.variant, choice.variant_id, choice.holdout

Banners are tried in the slot's order. A banner is passed over when its schedule does
not allow it now, when the visitor has seen it ``frequency_cap`` times today, or when no
variant fits and it has no fallback. Choosing reads the compiled banners: no query.
"""

import hashlib
from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone

from omni_plugin.conf import omni_settings
from omni_plugin.personalization.segmenting import segment_ids_for_request
from omni_plugin.personalization.subject import Subject

from .capping import view_counts
from .compiled import CompiledBanner, CompiledVariant, live_banners
from .content import providers
from .models import HOLDOUT, Banner, Slot


@dataclass(frozen=True)
class Choice:
    banner: CompiledBanner
    variant: CompiledVariant
    #: Whether the visitor is in the banner's holdout group (and sees the fallback).
    holdout: bool = False

    @property
    def variant_id(self):
        """The id statistics count this view under: the variant's, or ``HOLDOUT``."""
        return HOLDOUT if self.holdout else self.variant.id


def bucket(banner_id, visitor_id):
    """A number in [0, 1) that is the same for a visitor and a banner on every visit."""
    digest = hashlib.sha256(f"{banner_id}:{visitor_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def by_weight(variants, position):
    """The variant whose share of the total weight covers ``position`` in [0, 1), or None."""
    total = sum(variant.weight for variant in variants)
    if total <= 0:
        return None
    point = position * total
    for variant in variants:
        if point < variant.weight:
            return variant
        point -= variant.weight
    return next(variant for variant in reversed(variants) if variant.weight)


class Visitor:
    """What choosing needs to know about the request's visitor, each part worked out once."""

    def __init__(self, request):
        self.request = request
        self.now = timezone.now()

    @classmethod
    def of(cls, request):
        """The request's ``Visitor``, shared by every slot of the page."""
        return request.omni.memo(f"{__name__}.visitor", lambda: cls(request))

    @cached_property
    def compiled(self):
        return live_banners()

    @property
    def id(self):
        return self.request.omni.visitor_id

    @cached_property
    def subject(self):
        return Subject.for_request(self.request, now=self.now)

    @cached_property
    def segment_ids(self):
        return frozenset(str(pk) for pk in segment_ids_for_request(self.request))

    @cached_property
    def views(self):
        return view_counts(self.request)

    def fits(self, variant):
        targeting = variant.targeting
        segment_ids = self.segment_ids if targeting.uses_segments else frozenset()
        return targeting.fits(self.subject, segment_ids)

    def reached_cap(self, banner):
        return self.views.reached(banner)

    def position(self, banner):
        """Where the visitor falls in [0, 1) for the banner's A/B test."""
        return bucket(banner.id, self.id)


class KeyedVisitor(Visitor):
    """A visitor as a variant key describes them: whom an edge fragment is chosen for."""

    def __init__(self, key):
        self.key = key
        self.now = timezone.now()
        self.segment_ids = key.segments
        self.subject = Subject(
            {},
            now=self.now,
            device=key.device,
            geo={
                "country": key.country,
                "region": key.region,
                "city": key.city,
                "time_zone": key.time_zone,
            },
            coordinates=key.coordinates,
        )

    def reached_cap(self, banner):
        return banner.id in self.key.capped

    def position(self, banner):
        # Each banner orders the buckets its own way, so bucket 0 is not first everywhere.
        buckets = omni_settings.EDGE_AB_BUCKETS
        shift = int(bucket(banner.id, "edge") * buckets)
        return ((self.key.bucket or 0) + shift) % buckets / buckets + 0.5 / buckets


def candidates(compiled, target):
    """The compiled live banners ``target`` (slot key, ``Slot``, ``Banner`` or id) offers."""
    if isinstance(target, Slot):
        target = target.key
    if isinstance(target, str):
        return compiled.banners_of_slot(target)
    banner = compiled.banners.get(target.pk if isinstance(target, Banner) else target)
    return [banner] if banner else []


def choose(target, request, *, skip=frozenset(), visitor=None):
    """The ``Choice`` for the request's visitor, or None when nothing is to be shown.

    ``skip`` holds (banner id, variant id) pairs to pass over, such as variants whose
    content turned out empty. ``visitor`` (a ``KeyedVisitor``) chooses for a variant key
    instead of the request's visitor.
    """
    if getattr(request, "omni", None) is None:
        return None
    visitor = visitor or Visitor.of(request)
    for banner in candidates(visitor.compiled, target):
        if not banner.is_live_at(visitor.now) or visitor.reached_cap(banner):
            continue
        choice = choose_variant(banner, visitor, skip)
        if choice is not None:
            return choice
    return None


def choose_variant(banner, visitor, skip=frozenset()):
    """The ``Choice`` within one banner: by priority or by A/B bucket; None if nothing fits."""

    def usable(variant):
        return (banner.id, variant.id) not in skip and providers.can_show(variant.kind)

    fallback = banner.fallback if banner.fallback and usable(banner.fallback) else None
    eligible = [variant for variant in banner.variants if usable(variant) and visitor.fits(variant)]
    if not eligible:
        return Choice(banner, fallback) if fallback else None
    if not banner.ab_test:
        return Choice(banner, eligible[0])
    position = visitor.position(banner)
    holdout = banner.holdout_percent / 100 if banner.fallback else 0
    if position < holdout:
        return Choice(banner, fallback, holdout=True) if fallback else None
    chosen = by_weight(eligible, (position - holdout) / (1 - holdout))
    if chosen is None:
        return Choice(banner, fallback) if fallback else None
    return Choice(banner, chosen)
