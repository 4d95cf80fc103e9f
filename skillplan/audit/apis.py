"""API: the audit trail, for audit administrators only, newest first."""

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema

from skillplan.accounts import roles
from skillplan.api.auth import require
from skillplan.api.errors import error_responses
from skillplan.api.pagination import cursor_paginate
from skillplan.api.validators import QueryText
from skillplan.audit.models import AuditEvent
from skillplan.audit.selectors import AuditFilters, audit_event_list

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    seq: int
    at: datetime
    actor_username: str
    event: str
    target_type: str
    target_id: str
    target_repr: str
    region_code: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    ip_address: str | None


@router.get("/events", response={200: list[AuditEventOut], **error_responses(403, 422)},
            summary="Audit events, newest first", url_name="audit_event_list")
@cursor_paginate(key="-seq")
def events(
    request: HttpRequest,
    actor: QueryText = Query("", description="username of the actor"),  # noqa: B008 (ninja parameter)
    event: QueryText = Query("", description="event code or its beginning, e.g. user."),  # noqa: B008 (ninja parameter)
    target_type: QueryText = Query("", description="e.g. accounts.user"),  # noqa: B008 (ninja parameter)
    target_id: QueryText = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    require(request, roles.VIEW_AUDIT_LOG)
    filters = AuditFilters(actor=actor.strip(), event=event.strip(),
                           target_type=target_type.strip(), target_id=target_id.strip(),
                           date_from=date_from, date_to=date_to)
    return audit_event_list(user=request.user, filters=filters)
