"""How many different renderings of a slot the edge cache may have to hold.

The edge caches one copy of a slot per variant key, and the key carries only what the
slot's targeting looks at. Each dimension the targeting uses multiplies the copies by
the number of its values that matter, plus one for "none of them":

    (segments used + 1) x (places used + 1) x (device classes used + 1, at most 3)
    x (time windows used + 1) x (arms of each A/B test, holdout included)

The figure is an upper bound: a visitor in two segments is counted once, not as a
combination, which keeps it simple to read and to act on.
"""

from dataclasses import dataclass
from math import prod

from django.utils.translation import gettext_lazy as _

from omni_plugin.geo.devices import DESKTOP, MOBILE, TABLET

from .models import Banner

DEVICE_CLASSES = (MOBILE, TABLET, DESKTOP)


@dataclass(frozen=True)
class Factor:
    label: str
    used: int
    multiplier: int


@dataclass(frozen=True)
class Renderings:
    factors: tuple

    @property
    def total(self):
        return prod(factor.multiplier for factor in self.factors)

    def explained(self):
        """The factors that multiply, e.g. ``3 segments + 1 = 4``, for the help text."""
        return [factor for factor in self.factors if factor.multiplier > 1]


def _listed(text):
    return {part.strip().lower() for part in (text or "").split(",") if part.strip()}


def _targeted_variants(banner):
    """The variants whose targeting takes part in the choice (a fallback's does not)."""
    return [child.value for child in banner.variants if not child.value["fallback"]]


def _ab_arms(banner):
    if banner.choice != Banner.Choice.AB_TEST:
        return 1
    arms = len(_targeted_variants(banner))
    if banner.holdout_percent:
        arms += 1
    return max(arms, 1)


def count_renderings(banners):
    """The renderings a slot holding ``banners`` can produce, factor by factor."""
    segments, places, devices, windows = set(), set(), set(), set()
    for banner in banners:
        for variant in _targeted_variants(banner):
            targeting = variant["targeting"] or {}
            segments.update(targeting.get("include_segments") or ())
            segments.update(targeting.get("exclude_segments") or ())
            for kind in ("countries", "regions", "cities"):
                places.update((kind, name) for name in _listed(targeting.get(kind)))
            near = tuple(targeting.get(f"near_{part}") for part in ("latitude", "longitude"))
            if None not in near:
                places.add(("near", *near, targeting.get("near_radius_km")))
            devices.update(targeting.get("devices") or ())
            days = tuple(sorted(targeting.get("days") or ()))
            hours = (targeting.get("from_hour"), targeting.get("to_hour"))
            if days or hours != (None, None):
                windows.add((days, *hours))
    arms = prod(_ab_arms(banner) for banner in banners)
    return Renderings(
        factors=(
            Factor(_("segments"), len(segments), len(segments) + 1),
            Factor(_("places"), len(places), len(places) + 1),
            Factor(_("device classes"), len(devices), min(len(devices) + 1, len(DEVICE_CLASSES))),
            Factor(_("time windows"), len(windows), len(windows) + 1),
            Factor(_("A/B test arms"), arms if arms > 1 else 0, arms),
        )
    )


def latest_drafts(banners):
    """Each banner as its latest revision has it: what publishing would put live."""
    return [
        banner.latest_revision.as_object() if banner.latest_revision_id else banner
        for banner in banners
    ]


def banners_in_slot(slot, replacing=None):
    """The latest drafts of a slot's banners, with ``replacing`` (a banner being edited) as is."""
    placed = Banner.objects.filter(placements__slot=slot).select_related("latest_revision")
    banners = latest_drafts(placed)
    if replacing is not None:
        banners = [replacing if banner.pk == replacing.pk else banner for banner in banners]
    return banners
