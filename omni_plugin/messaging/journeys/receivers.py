"""Journeys follow the profiles they belong to, and note every price drop."""

from django.db.models import Exists, OuterRef
from django.dispatch import receiver
from django.utils.translation import gettext as _

from omni_plugin.core.signals import profile_erased, profile_exported, profiles_merged
from omni_plugin.messaging.models import JourneyRun

from . import price_drops  # noqa: F401  (registers the stock record receivers)


@receiver(profiles_merged)
def follow_merge(survivor_id, merged_id, **kwargs):
    """The merged profile's runs go on for the survivor, unless it has its own about it."""
    survivors_own = JourneyRun.objects.filter(
        profile_id=survivor_id, journey_id=OuterRef("journey_id"), key=OuterRef("key")
    )
    merged_runs = JourneyRun.objects.filter(profile_id=merged_id)
    moving = list(merged_runs.filter(~Exists(survivors_own)).values_list("pk", flat=True))
    JourneyRun.objects.filter(pk__in=moving).update(profile_id=survivor_id)
    merged_runs.filter(status=JourneyRun.Status.ACTIVE).update(
        status=JourneyRun.Status.STOPPED,
        stop_reason=_("Merged into a profile on the same journey."),
        next_due_at=None,
    )


@receiver(profile_erased)
def forget_erased_runs(profile_ids, **kwargs):
    """An erased person is on no journey any more."""
    JourneyRun.objects.filter(profile_id__in=profile_ids).delete()


@receiver(profile_exported)
def export_runs(profile_ids, **kwargs):
    """The journeys the person is or was on, for their copy of their data."""
    runs = JourneyRun.objects.filter(profile_id__in=profile_ids).select_related("journey")
    return {
        "journey_runs": [
            {
                "journey": run.journey.name,
                "about": run.key,
                "started_at": run.started_at.isoformat(),
                "steps_done": run.next_step,
                "status": run.status,
                "stop_reason": run.stop_reason,
            }
            for run in runs.order_by("started_at", "pk")
        ]
    }
