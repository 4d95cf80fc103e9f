"""Scoped reads of the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from skillplan.accounts.roles import VIEW_AUDIT_LOG
from skillplan.accounts.scoping import get_in_scope, restrict
from skillplan.audit.models import AuditEvent


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    event: str = ""
    target_type: str = ""
    target_id: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_event_list(*, user: Any, filters: AuditFilters | None = None) -> QuerySet[AuditEvent]:
    filters = filters or AuditFilters()
    events = restrict(AuditEvent.objects.all(), user, permission=VIEW_AUDIT_LOG)
    if filters.actor:
        events = events.filter(actor_username__iexact=filters.actor)
    if filters.event:
        events = events.filter(event__startswith=filters.event)
    if filters.target_type:
        events = events.filter(target_type=filters.target_type)
    if filters.target_id:
        events = events.filter(target_id=filters.target_id)
    if filters.date_from:
        events = events.filter(at__gte=_day_start(filters.date_from))
    if filters.date_to:
        events = events.filter(at__lt=_day_start(filters.date_to + timedelta(days=1)))
    return events.order_by("-seq")


def audit_event_get(*, user: Any, pk: int) -> AuditEvent:
    return get_in_scope(AuditEvent.objects.all(), user, permission=VIEW_AUDIT_LOG, pk=pk)


def events_for_target(*, target: models.Model) -> QuerySet[AuditEvent]:
    """A record's own history, for its detail page (the caller already holds the record)."""
    return AuditEvent.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).order_by("-seq")


@dataclass(frozen=True)
class AuditPage:
    """One page of events, newest first, found by sequence number (keyset): no COUNT and no
    OFFSET, so the page costs the same on the first day and after ten million events."""

    events: list[AuditEvent]
    newer_than: int | None  # link to newer events: ?after=<this>; None when on the newest page
    older_than: int | None  # link to older events: ?before=<this>; None when on the oldest page


def audit_event_page(
    *,
    user: Any,
    filters: AuditFilters | None = None,
    before: int | None = None,
    after: int | None = None,
    size: int = 50,
) -> AuditPage:
    """``size`` events older than seq ``before``, newer than seq ``after``, or the newest."""
    events = audit_event_list(user=user, filters=filters)
    if after is not None and before is None:
        rows = list(events.filter(seq__gt=after).order_by("seq")[: size + 1])
        has_newer = len(rows) > size
        rows = rows[:size][::-1]
        has_older = bool(rows) and events.filter(seq__lt=rows[-1].seq).exists()
    else:
        if before is not None:
            events = events.filter(seq__lt=before)
        rows = list(events[: size + 1])
        has_older = len(rows) > size
        rows = rows[:size]
        has_newer = before is not None and bool(rows) and audit_event_list(
            user=user, filters=filters
        ).filter(seq__gt=rows[0].seq).exists()
    return AuditPage(
        events=rows,
        newer_than=rows[0].seq if rows and has_newer else None,
        older_than=rows[-1].seq if rows and has_older else None,
    )


def audit_event_neighbours(
    *, user: Any, event: AuditEvent
) -> tuple[AuditEvent | None, AuditEvent | None]:
    """The events just before and after ``event`` in the chain that ``user`` may see."""
    events = restrict(AuditEvent.objects.all(), user, permission=VIEW_AUDIT_LOG)
    previous = events.filter(seq__lt=event.seq).order_by("-seq").first()
    following = events.filter(seq__gt=event.seq).order_by("seq").first()
    return previous, following
