"""The timeline of a class: one :class:`ClassStep` per transition or notable event."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from skillplan.training.models import ClassStep, TrainingClass


def step_record(training_class: TrainingClass, *, action: str, actor: Any,
                from_status: str = "", to_status: str = "", comment: str = "") -> ClassStep:
    """Append one step to the class's timeline (call inside the service's transaction)."""
    return ClassStep.objects.create(
        training_class=training_class, action=action,
        actor_id=getattr(actor, "pk", None), from_status=from_status, to_status=to_status,
        comment=comment[:500], at=timezone.now())
