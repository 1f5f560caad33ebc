"""Admin views for segments: the live count while editing, and previewing the site as one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .compiled import compile_segment
from .memberships import count_matching
from .models import Segment
from .segmenting import PREVIEW_SESSION_KEY

#: Form fields the count depends on; errors elsewhere (a duplicate name) do not stop it.
COUNTED_FIELDS = ("match", "rules")


def count_view(form_class, permission_policy):
    """A view answering ``{"count": n, "total": t}`` for the rules posted from the form."""

    @require_POST
    def count(request):
        if not permission_policy.user_has_any_permission(request.user, ["add", "change"]):
            raise PermissionDenied
        form = form_class(request.POST, instance=Segment(), for_user=request.user)
        form.is_valid()
        errors = [
            error for field in COUNTED_FIELDS for error in form.errors.as_data().get(field, ())
        ]
        if errors:
            message = _("Correct the rules to see how many customers they match: %s")
            return JsonResponse({"error": message % _innermost_message(errors[0])}, status=400)
        draft = Segment(name=form.cleaned_data.get("name") or "", match=form.cleaned_data["match"])
        draft.rules = form.cleaned_data["rules"]
        matching, total = count_matching(compile_segment(draft))
        return JsonResponse({"count": matching, "total": total})

    return count


def _innermost_message(error):
    """The message of the first field in error inside a StreamField's nested errors."""
    nested = getattr(error, "block_errors", None)
    if nested:
        first = next(iter(nested.values() if isinstance(nested, dict) else nested))
        return _innermost_message(first)
    return error.messages[0]


def preview_view(permission_policy):
    """Start browsing the site as a member of the segment (staff only; nothing is tracked)."""

    def preview(request, pk):
        if not request.user.is_staff or not permission_policy.user_has_permission(
            request.user, "view"
        ):
            raise PermissionDenied
        segment = get_object_or_404(Segment, pk=pk)
        request.session[PREVIEW_SESSION_KEY] = [segment.pk, segment.name]
        return redirect(request.GET.get("next") or "/")

    return preview


@require_POST
def stop_preview(request):
    previewing = request.session.pop(PREVIEW_SESSION_KEY, None)
    if previewing:
        messages.info(request, _("You no longer see the site as “%s”.") % previewing[1])
    return redirect(request.POST.get("next") or "/")
