"""The append-only audit trail. Each row carries a SHA-256 hash chained to the row before it,
so a row changed, inserted or deleted by hand in the database breaks the chain
(``manage.py verify_audit`` names the first broken row)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.accounts.scoping import ScopeFields

GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    seq = models.BigIntegerField(_("sequence"), unique=True, editable=False)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        # Never touch audit rows when a user goes: the rows are append-only and hashed.
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_username = models.CharField(_("actor"), max_length=150, blank=True, db_index=True)
    event = models.CharField(_("event"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=64, blank=True, db_index=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True, db_index=True)
    target_repr = models.CharField(_("target"), max_length=200, blank=True)
    region_code = models.CharField(_("region code"), max_length=12, blank=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    # Only the audit administrator reads the trail, across the whole installation (events of
    # sign-in failures or system jobs carry no region), so no region filter applies.
    scope_fields = ScopeFields()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event} {self.target_repr}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if not self._state.adding:
            raise RuntimeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("Audit events are append-only.")

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for each field the event names, for history tables."""
        before, after = self.before or {}, self.after or {}
        return [(key, before.get(key), after.get(key)) for key in {**before, **after}]


class AuditChainHead(models.Model):
    """One row: the last sequence number and hash, locked while an event is appended."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"audit chain head #{self.last_seq}"
