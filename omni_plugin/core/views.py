from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .health import UNAVAILABLE, component_statuses


@never_cache
@require_safe
def health(request):
    """``{"status": "ok", "database": "ok", "cache": "ok"}``, or a 503 naming what is down."""
    components = component_statuses()
    healthy = UNAVAILABLE not in components.values()
    return JsonResponse(
        {"status": "ok" if healthy else UNAVAILABLE, **components},
        status=200 if healthy else 503,
    )
