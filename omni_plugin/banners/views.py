"""The signed redirect behind every banner link: it counts the click, then leads on."""

from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .models import Banner
from .tracking import BadClick, note_click, read_click_token


@never_cache
@require_safe
def banner_click(request, token):
    try:
        banner_id, variant_id, link = read_click_token(token)
    except BadClick as refusal:
        return HttpResponseBadRequest(str(refusal), content_type="text/plain; charset=utf-8")
    if not Banner.objects.filter(pk=banner_id).exists():
        raise Http404(_("This banner no longer exists."))
    if request.method == "GET":  # link checkers send HEAD
        note_click(request, banner_id, variant_id)
    return HttpResponseRedirect(link)
