"""What every trigger does, and the enrolment the triggers share."""

from dataclasses import dataclass, field
from datetime import datetime

from omni_plugin.core.models import Event, Profile
from omni_plugin.messaging.content import MessageContent
from omni_plugin.messaging.models import JourneyRun

from ..placeholders import fill

#: How a newer trigger treats a run that exists already.
RESTART_NEVER = "never"  # the run is about this thing once and for all
RESTART_ACTIVE = "active"  # an active run waits from the newer trigger
RESTART_ALWAYS = "always"  # a finished run starts again too


class Trigger:
    """Finds the customers a journey enrols, says when a run stops, and what it says."""

    name = ""
    #: The message intent of the journey's steps.
    intent = ""
    #: The placeholders a step's title and body may use.
    placeholders = ()

    def enrol(self, journey, since, until):
        """Create or restart the runs for what happened in (``since``, ``until``]; how many."""
        raise NotImplementedError

    def stop_reason(self, run, profile, now):
        """Why the run must stop before its next step, or None to go on."""
        return None

    def values(self, run, profile):
        """The placeholders' values for the run, and the link: ``(values, url)``."""
        raise NotImplementedError

    def intent_for(self, index):
        """The intent of the step at ``index``."""
        return self.intent

    def content(self, run, step, profile):
        values, url = self.values(run, profile)
        return MessageContent(
            title=fill(step.title, values),
            body=fill(step.body, values),
            url=url,
            data={"journey": run.journey_id, **run.context},
        )


def events_between(kinds, since, until):
    """The events of ``kinds`` that happened in (``since``, ``until``], on some profile."""
    return Event.objects.filter(
        kind__in=kinds, occurred_at__gt=since, occurred_at__lte=until, profile__isnull=False
    )


def current_snapshots(profile_ids):
    """``{profile id: snapshot}`` of those profiles that are neither erased nor merged away."""
    return dict(
        Profile.objects.filter(
            pk__in=set(profile_ids), erased_at__isnull=True, merged_into__isnull=True
        ).values_list("pk", "snapshot")
    )


@dataclass
class Enrolment:
    """A profile a trigger found, about what (``key``), since when, with what to say."""

    profile_id: int
    key: str
    started_at: datetime
    context: dict = field(default_factory=dict)


def enrol_runs(journey, enrolments, restart=RESTART_NEVER):
    """Start a run for each enrolment, or restart the existing one from a newer start.

    An active run restarted keeps the steps already sent and waits for the rest from the
    newer trigger; a finished one restarted (``RESTART_ALWAYS``) begins again. Reads the
    existing runs in one query. Returns how many runs started or restarted.
    """
    steps = journey.ordered_steps
    if not steps or not enrolments:
        return 0
    existing = {
        (run.profile_id, run.key): run
        for run in JourneyRun.objects.filter(
            journey=journey,
            profile_id__in={e.profile_id for e in enrolments},
            key__in={e.key for e in enrolments},
        )
    }
    new = {}
    restarted = 0
    for enrolment in enrolments:
        run = existing.get((enrolment.profile_id, enrolment.key))
        if run is None:
            new[(enrolment.profile_id, enrolment.key)] = JourneyRun(
                journey=journey,
                profile_id=enrolment.profile_id,
                key=enrolment.key,
                started_at=enrolment.started_at,
                context=enrolment.context,
                next_due_at=enrolment.started_at + steps[0].offset,
            )
        elif _restart(run, enrolment, restart, steps):
            restarted += 1
    JourneyRun.objects.bulk_create(new.values(), ignore_conflicts=True)
    return len(new) + restarted


def _restart(run, enrolment, restart, steps):
    if enrolment.started_at <= run.started_at:
        return False
    active = run.status == JourneyRun.Status.ACTIVE
    if not (restart == RESTART_ALWAYS or (active and restart == RESTART_ACTIVE)):
        return False
    if not active:
        run.next_step, run.status, run.stop_reason = 0, JourneyRun.Status.ACTIVE, ""
    run.started_at = enrolment.started_at
    run.context = enrolment.context or run.context
    run.next_due_at = enrolment.started_at + steps[min(run.next_step, len(steps) - 1)].offset
    run.save()
    return True
