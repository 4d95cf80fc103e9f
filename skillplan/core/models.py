"""The base every business record stands on: who made it, who changed it, and a version."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.core.errors import ConcurrentUpdateError


class TrackedModel(models.Model):
    """created/updated at and by, and a version number for optimistic locking."""

    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


def save_new(instance: TrackedModel, *, actor: Any) -> TrackedModel:
    """Validate and insert a new tracked record stamped with its creator."""
    actor_id = getattr(actor, "pk", None)
    instance.created_by_id = actor_id  # type: ignore[attr-defined]
    instance.updated_by_id = actor_id  # type: ignore[attr-defined]
    instance.full_clean()
    instance.save(force_insert=True)
    return instance


def save_versioned(
    instance: TrackedModel,
    *,
    actor: Any,
    expected_version: int,
    fields: list[str],
) -> TrackedModel:
    """Write ``fields`` of ``instance`` only if nobody changed the row since ``expected_version``.

    Raises :class:`ConcurrentUpdateError` (a clear "someone else changed this" message) when the
    stored version moved on; the caller keeps the user's input and shows the message.
    """
    instance.full_clean()
    now = timezone.now()
    values = {name: getattr(instance, name) for name in fields}
    updated = (
        type(instance)
        ._default_manager.filter(pk=instance.pk, version=expected_version)
        .update(
            **values,
            updated_at=now,
            updated_by_id=getattr(actor, "pk", None),
            version=F("version") + 1,
        )
    )
    if updated != 1:
        raise ConcurrentUpdateError()
    instance.version = expected_version + 1
    instance.updated_at = now
    instance.updated_by_id = getattr(actor, "pk", None)  # type: ignore[attr-defined]
    return instance
