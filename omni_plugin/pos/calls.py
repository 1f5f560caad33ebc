"""The call log: one row per call, with its key, and nothing personal (no body, no query)."""

from datetime import timedelta

from django.utils import timezone

from omni_plugin.pos.models import PosApiKey, PosCall

PATH_LENGTH = PosCall._meta.get_field("path").max_length
#: ``last_used_at`` is written at most this often, sparing a write per call.
LAST_USED_PRECISION = timedelta(minutes=1)


def log_call(request, key, status, duration):
    """Log one call; ``key`` is None when the caller gave no valid key."""
    now = timezone.now()
    PosCall.objects.create(
        key=key,
        method=request.method[:8],
        path=request.path[:PATH_LENGTH],
        status=status,
        duration_ms=round(duration * 1000),
        at=now,
    )
    if key is not None and (
        key.last_used_at is None or now - key.last_used_at > LAST_USED_PRECISION
    ):
        PosApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
