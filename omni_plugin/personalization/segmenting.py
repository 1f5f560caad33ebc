"""Which segments a visitor is in: the API banners, push targeting and journeys call.

    from omni_plugin.personalization.segmenting import segments_for_request

    for membership in segments_for_request(request):
        membership.segment_id, membership.name, membership.reasons

Evaluated once per request from the cached profile and the compiled segments: no query.
"""

from django.utils import timezone

from omni_plugin.core.context import PREVIEW_SESSION_KEY

from .compiled import active_segments
from .evaluation import Membership, evaluate
from .subject import Subject


def segments_for_request(request):
    """The request's visitor's segment memberships; a previewing editor's chosen segment."""
    omni = getattr(request, "omni", None)
    if omni is None:
        return []
    return omni.memo(f"{__name__}.memberships", lambda: _memberships(request))


def _memberships(request):
    memberships = _preview(request)
    if memberships is None:
        memberships = evaluate(active_segments(), Subject.for_request(request))
    return memberships


def segment_ids_for_request(request):
    return [membership.segment_id for membership in segments_for_request(request)]


def segments_for_profile(snapshot, now=None):
    """The memberships of a profile as last seen (its last device and place)."""
    return evaluate(active_segments(), Subject.for_profile(snapshot, now or timezone.now()))


def previewed_segment(request):
    """The (id, name) of the segment a staff member is previewing the site as, or None."""
    preview = request.session.get(PREVIEW_SESSION_KEY) if hasattr(request, "session") else None
    if preview and request.user.is_authenticated and request.user.is_staff:
        return preview
    return None


def _preview(request):
    preview = previewed_segment(request)
    if preview is None:
        return None
    segment_id, name = preview
    return [Membership(segment_id, name, ())]
