"""Infrastructure pages: display preferences and the health check."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from skillplan.core.health import worker_state
from skillplan.core.preferences import display_preferences, store_display_preferences


@require_POST
def display_preferences_toggle(request: HttpRequest) -> HttpResponse:
    """Flip the high-contrast or large-text switch; works without JavaScript."""
    current = display_preferences(request)
    toggle = request.POST.get("toggle", "")
    contrast = current["contrast"] ^ (toggle == "contrast")
    large_text = current["large_text"] ^ (toggle == "large-text")
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    store_display_preferences(response, contrast=contrast, large_text=large_text)
    return response


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the database and task-worker state; 503 when the database does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return JsonResponse(
            {"status": "error", "database": {"status": "error", "detail": exc.__class__.__name__}},
            status=503,
        )
    return JsonResponse(
        {"status": "ok", "database": {"status": "ok", "vendor": connection.vendor},
         "worker": worker_state()}
    )
