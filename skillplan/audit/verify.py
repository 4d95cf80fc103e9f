"""The tamper check: walk the whole audit chain and name the first row that breaks it.

Each row's hash covers its content and the hash of the row before it (``chain.py``), and the
chain head (``AuditChainHead``) remembers the last sequence number and hash. So:

- a row whose content no longer gives its hash was **changed**;
- a missing sequence number means a row was **deleted** (rows deleted at the very end leave no
  gap; the head, which still counts them, catches those: **head_mismatch**);
- a row that is intact but does not point at the hash of the row before it was **reordered**,
  inserted, or follows a row that was replaced wholesale (content and hash forged).

Rows are read in batches by sequence number (keyset, ``seq > last``), so memory stays flat and
no query ever scans the table from the start: fine for millions of rows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skillplan.audit.chain import digest_of_row
from skillplan.audit.models import GENESIS_HASH, AuditChainHead, AuditEvent


class BreakKind(models.TextChoices):
    CHANGED = "changed", gettext_lazy("changed")
    DELETED = "deleted", gettext_lazy("deleted")
    REORDERED = "reordered", gettext_lazy("reordered or inserted")
    HEAD_MISMATCH = "head_mismatch", gettext_lazy("chain head does not match")


@dataclass(frozen=True)
class RowSummary:
    """The row a finding is about, as a clerk would look for it."""

    seq: int
    at: str
    event: str
    target: str
    pk: int

    @classmethod
    def of(cls, row: AuditEvent) -> RowSummary:
        target = row.target_repr or " ".join(filter(None, [row.target_type, row.target_id]))
        return cls(
            seq=row.seq,
            at=timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"),
            event=row.event,
            target=target or _("no target"),
            pk=row.pk,
        )

    def describe(self) -> dict[str, Any]:
        return {"seq": self.seq, "time": self.at, "event": self.event, "target": self.target}


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    message: str
    first_broken_seq: int | None = None
    kind: str = ""
    row: RowSummary | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["message"] = str(self.message)
        return data


class _ChainBroken(Exception):  # internal control flow: never escapes verify_chain
    def __init__(self, report: ChainReport) -> None:
        self.report = report


def _broken(
    *, kind: str, seq: int, checked: int, message: str, row: AuditEvent | None
) -> _ChainBroken:
    summary = RowSummary.of(row) if row is not None else None
    return _ChainBroken(
        ChainReport(
            ok=False, checked=checked, message=message, first_broken_seq=seq, kind=kind,
            row=summary,
        )
    )


class _Walker:
    """Checks rows one by one against the row before them."""

    def __init__(self) -> None:
        self.checked = 0
        self.last: AuditEvent | None = None

    @property
    def last_seq(self) -> int:
        return self.last.seq if self.last is not None else 0

    def check(self, row: AuditEvent) -> None:
        expected = self.last_seq + 1
        if row.seq != expected:
            self._missing(first=expected, last=row.seq - 1, following=row)
        if digest_of_row(row) != row.hash:
            raise _broken(
                kind=BreakKind.CHANGED, seq=row.seq, checked=self.checked, row=row,
                message=_(
                    "Audit event #%(seq)s (%(time)s, %(event)s, %(target)s) was changed in the "
                    "database after it was recorded: its content no longer matches its hash."
                ) % RowSummary.of(row).describe(),
            )
        previous_hash = self.last.hash if self.last is not None else GENESIS_HASH
        if row.prev_hash != previous_hash:
            raise _broken(
                kind=BreakKind.REORDERED, seq=row.seq, checked=self.checked, row=row,
                message=_(
                    "Audit event #%(seq)s (%(time)s, %(event)s, %(target)s) does not follow the "
                    "event before it (#%(previous)s): events were inserted or reordered, or the "
                    "event before it was replaced."
                ) % {**RowSummary.of(row).describe(), "previous": self.last_seq},
            )
        self.checked += 1
        self.last = row

    def _missing(self, *, first: int, last: int, following: AuditEvent) -> None:
        values = {**RowSummary.of(following).describe(), "first": first, "last": last}
        if first == last:
            message = _(
                "Audit event #%(first)s is missing: it was deleted from the database. The next "
                "remaining event is #%(seq)s (%(time)s, %(event)s, %(target)s)."
            ) % values
        else:
            message = _(
                "Audit events #%(first)s to #%(last)s are missing: they were deleted from the "
                "database. The next remaining event is #%(seq)s (%(time)s, %(event)s, "
                "%(target)s)."
            ) % values
        raise _broken(
            kind=BreakKind.DELETED, seq=first, checked=self.checked, row=following,
            message=message,
        )

    def check_head(self, head: AuditChainHead | None) -> None:
        """The head must name the last row: catches rows deleted at the end, or added by hand."""
        last = self.last
        head_seq = head.last_seq if head is not None else 0
        head_hash = head.last_hash if head is not None else GENESIS_HASH
        if last is None and head_seq == 0:
            return
        if last is None:
            raise _broken(
                kind=BreakKind.HEAD_MISMATCH, seq=1, checked=0, row=None,
                message=_(
                    "All %(count)s audit events are missing: the chain head records them, but "
                    "the audit table is empty."
                ) % {"count": head_seq},
            )
        values = {**RowSummary.of(last).describe(), "head": head_seq}
        if head_seq > last.seq:
            values["first"] = last.seq + 1
            if head_seq == last.seq + 1:
                message = _(
                    "Audit event #%(head)s, the last one recorded, is missing: it was deleted "
                    "from the database. The last remaining event is #%(seq)s (%(time)s, "
                    "%(event)s, %(target)s)."
                ) % values
            else:
                message = _(
                    "Audit events #%(first)s to #%(head)s at the end of the trail are missing: "
                    "they were deleted from the database. The last remaining event is #%(seq)s "
                    "(%(time)s, %(event)s, %(target)s)."
                ) % values
            raise _broken(
                kind=BreakKind.HEAD_MISMATCH, seq=last.seq + 1, checked=self.checked, row=last,
                message=message,
            )
        if head is None or head_seq < last.seq or head_hash != last.hash:
            raise _broken(
                kind=BreakKind.HEAD_MISMATCH, seq=last.seq, checked=self.checked, row=last,
                message=_(
                    "The chain head (at #%(head)s) does not match the last audit event #%(seq)s "
                    "(%(time)s, %(event)s, %(target)s): events were added outside the "
                    "application, or the last event or the chain head was replaced."
                ) % values,
            )


def _batches(*, after: int, batch_size: int) -> Any:
    """Rows with seq > ``after`` in seq order, ``batch_size`` at a time (keyset, no OFFSET)."""
    while True:
        batch = list(AuditEvent.objects.filter(seq__gt=after).order_by("seq")[:batch_size])
        if not batch:
            return
        yield from batch
        after = batch[-1].seq


def verify_chain(*, batch_size: int = 5000) -> ChainReport:
    """Check every audit row and the chain head; report the first break, if any."""
    walker = _Walker()
    try:
        while True:
            for row in _batches(after=walker.last_seq, batch_size=batch_size):
                walker.check(row)
            head = AuditChainHead.objects.filter(pk=1).first()
            # Events appended while we walked move the head on; walk those too. (Each append
            # commits its row and the head together, so the head is never behind a real row.)
            if head is not None and head.last_seq > walker.last_seq and (
                AuditEvent.objects.filter(seq__gt=walker.last_seq).exists()
            ):
                continue
            walker.check_head(head)
            break
    except _ChainBroken as broken:
        return broken.report
    return ChainReport(
        ok=True,
        checked=walker.checked,
        message=_(
            "The audit trail is intact: %(count)s events checked, none changed, deleted or "
            "reordered."
        ) % {"count": walker.checked},
    )
