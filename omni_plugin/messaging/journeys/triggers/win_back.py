"""Win-back: a customer who ordered before and has not been seen for a while."""

from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from omni_plugin.core.models import Profile
from omni_plugin.core.snapshot import decayed_affinities

from ..facts import category_facts
from .base import Enrolment, Trigger, enrol_runs


class WinBack(Trigger):
    """One run per customer and absence, from the day the absence reached the threshold."""

    name = "win_back"
    intent = "win_back"
    placeholders = ("category", "days")

    def enrol(self, journey, since, until):
        absence = timedelta(days=journey.inactive_days)
        gone_quiet = Profile.objects.filter(
            last_seen__gt=since - absence,
            last_seen__lte=until - absence,
            erased_at__isnull=True,
            merged_into__isnull=True,
        ).values_list("pk", "last_seen", "snapshot")
        enrolments = [
            Enrolment(
                profile_id,
                f"inactive:{last_seen.date().isoformat()}",
                last_seen + absence,
                {"last_seen": last_seen.isoformat(), "days": journey.inactive_days},
            )
            for profile_id, last_seen, snapshot in gone_quiet
            if (snapshot.get("orders") or {}).get("count")
        ]
        return enrol_runs(journey, enrolments)

    def stop_reason(self, run, profile, now):
        if profile.last_seen > datetime.fromisoformat(run.context["last_seen"]):
            return _("The customer came back.")
        return None

    def values(self, run, profile):
        favourite = category_facts(list(decayed_affinities(profile.snapshot)))
        return (
            {
                "category": favourite["name"] if favourite else _("our shop"),
                "days": run.context["days"],
            },
            favourite["url"] if favourite else "/",
        )
