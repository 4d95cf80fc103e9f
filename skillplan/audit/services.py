"""The one way to write the audit trail. Services call :func:`audit_record` inside their own
transaction, so the audit row and the change commit (or roll back) together."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from skillplan.audit.chain import digest_of_row, event_digest, normalise_json
from skillplan.audit.context import current_ip
from skillplan.audit.models import AuditChainHead, AuditEvent
from skillplan.audit.verify import ChainReport, verify_chain


def _target_parts(target: models.Model | None) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    return target._meta.label_lower, str(target.pk), str(target)[:200]


@transaction.atomic
def audit_record(
    *,
    actor: Any,
    event: str,
    target: models.Model | None = None,
    region_code: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip_address: str | None = None,
    target_type: str = "",
    target_id: str = "",
    target_repr: str = "",
) -> AuditEvent:
    """Append one event to the chain. ``event`` is a dotted code such as ``user.created``."""
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    default_type, default_id, default_repr = _target_parts(target)
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    row = AuditEvent(
        seq=head.last_seq + 1,
        at=timezone.now(),
        actor_id=actor_id,
        actor_username=getattr(actor, "username", "") if actor_id else "",
        event=event,
        target_type=target_type or default_type,
        target_id=str(target_id or default_id),
        target_repr=(target_repr or default_repr)[:200],
        region_code=region_code or "",
        before=normalise_json(before),
        after=normalise_json(after),
        ip_address=ip_address or current_ip.get(),
        prev_hash=head.last_hash,
    )
    row.hash = event_digest(
        seq=row.seq,
        at=row.at,
        actor_id=row.actor_id,
        actor_username=row.actor_username,
        event=row.event,
        target_type=row.target_type,
        target_id=row.target_id,
        target_repr=row.target_repr,
        region_code=row.region_code,
        before=row.before,
        after=row.after,
        ip_address=row.ip_address,
        prev_hash=row.prev_hash,
    )
    row.save(force_insert=True)
    head.last_seq, head.last_hash = row.seq, row.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return row


def changed_fields(
    instance: models.Model, before: dict[str, Any], fields: list[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The before/after pair of the fields that really changed."""
    old, new = {}, {}
    for name in fields:
        value = getattr(instance, name)
        if before.get(name) != value:
            old[name], new[name] = before.get(name), value
    return old, new


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in fields}


def audit_chain_verify(*, actor: Any) -> ChainReport:
    """Run the tamper check now and record who ran it and what it found (``audit.verified``)."""
    report = verify_chain()
    audit_record(
        actor=actor,
        event="audit.verified",
        target_type="audit.auditevent",
        target_repr="audit chain",
        region_code=getattr(actor, "region_code", "") or "",
        after={
            "ok": report.ok,
            "checked": report.checked,
            "first_broken_seq": report.first_broken_seq,
            "kind": report.kind,
        },
    )
    return report


@dataclass(frozen=True)
class PendingEvent:
    """One event for :func:`audit_record_many` (bulk writers such as imports)."""

    event: str
    target_type: str
    target_id: str
    target_repr: str = ""
    region_code: str = ""
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


@transaction.atomic
def audit_record_many(*, actor: Any, events: list[PendingEvent]) -> int:
    """Append many events with one lock of the chain head and one bulk insert."""
    if not events:
        return 0
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    actor_username = getattr(actor, "username", "") if actor_id else ""
    ip_address = current_ip.get()
    now = timezone.now()
    rows = []
    seq, prev_hash = head.last_seq, head.last_hash
    for pending in events:
        seq += 1
        row = AuditEvent(
            seq=seq, at=now, actor_id=actor_id, actor_username=actor_username,
            event=pending.event, target_type=pending.target_type,
            target_id=str(pending.target_id), target_repr=pending.target_repr[:200],
            region_code=pending.region_code, before=normalise_json(pending.before),
            after=normalise_json(pending.after), ip_address=ip_address, prev_hash=prev_hash,
        )
        row.hash = digest_of_row(row)
        prev_hash = row.hash
        rows.append(row)
    AuditEvent.objects.bulk_create(rows, batch_size=1000)
    head.last_seq, head.last_hash = seq, prev_hash
    head.save(update_fields=["last_seq", "last_hash"])
    return len(rows)
