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
