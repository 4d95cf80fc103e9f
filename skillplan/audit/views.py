"""The audit trail viewer, for the audit administrator only. Thin: selectors read; the tamper
check runs as a background job (``tasks.py``)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from skillplan.accounts.roles import VIEW_AUDIT_LOG
from skillplan.audit.forms import AuditFilterForm
from skillplan.audit.labels import field_label
from skillplan.audit.selectors import (
    AuditFilters,
    audit_event_get,
    audit_event_neighbours,
    audit_event_page,
)
from skillplan.audit.tasks import VERIFY_KIND
from skillplan.jobs.services import job_start
from skillplan.regions.models import Region

PAGE_SIZE = 50
PAGING_KEYS = ("before", "after")


def _seq(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _region_names(codes: set[str]) -> dict[str, str]:
    codes.discard("")
    if not codes:
        return {}
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


def _verify(request: HttpRequest) -> HttpResponse:
    """Start the tamper check in the background and follow it on its job page."""
    job = job_start(owner=request.user, kind=VERIFY_KIND, title=_("Audit trail check"),
                    params={})
    return redirect("jobs:detail", pk=job.pk)


@login_required
@permission_required(VIEW_AUDIT_LOG, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def audit_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _verify(request)
    params = request.GET.copy()
    for key in PAGING_KEYS:
        params.pop(key, None)
    form = AuditFilterForm(params or None)
    valid = form.is_valid() if form.is_bound else True
    page = None
    if valid:
        filters = form.filters() if form.is_bound else AuditFilters()
        page = audit_event_page(
            user=request.user,
            filters=filters,
            before=_seq(request.GET.get("before")),
            after=_seq(request.GET.get("after")),
            size=PAGE_SIZE,
        )
    events = page.events if page else []
    names = _region_names({event.region_code for event in events})
    return render(
        request,
        "audit/event_list.html",
        {
            "filter_form": form,
            "page": page,
            "rows": [(event, names.get(event.region_code, "")) for event in events],
            "query": params.urlencode(),
            "paged": any(key in request.GET for key in PAGING_KEYS),
            "filtered": form.is_bound,
        },
    )


def _display(value: Any) -> str:
    """A before/after value as text: strings as they are, anything else as JSON."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


@login_required
@permission_required(VIEW_AUDIT_LOG, raise_exception=True)
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = audit_event_get(user=request.user, pk=pk)
    previous, following = audit_event_neighbours(user=request.user, event=event)
    changes = [(field, field_label(event.target_type, field), _display(old), _display(new))
               for field, old, new in event.changes]
    return render(
        request,
        "audit/event_detail.html",
        {
            "event": event,
            "changes": changes,
            "previous": previous,
            "following": following,
            "region_name": _region_names({event.region_code}).get(event.region_code, ""),
        },
    )
