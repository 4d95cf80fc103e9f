"""What the pages during and at the end of a class share: the class in scope and its links."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from skillplan.accounts import roles
from skillplan.core.errors import RuleError
from skillplan.training.models import TrainingClass
from skillplan.training.selectors import class_get


def scoped_class(request: HttpRequest, pk: int) -> TrainingClass:
    """The class if the user may see it; Http404 otherwise (as for a missing class)."""
    return class_get(user=request.user, pk=pk)


def class_page_url(training_class: TrainingClass) -> str:
    """The class page with its timeline (the lifecycle pages)."""
    return reverse("training:detail", args=[training_class.pk])


def class_context(request: HttpRequest, training_class: TrainingClass) -> dict[str, Any]:
    user = request.user
    return {
        "training_class": training_class, "class_url": class_page_url(training_class),
        "can_export": user.has_perm(roles.EXPORT_CLASSES),
    }


def rule_field(error: RuleError, fields: dict[str, str], form: Any) -> str | None:
    """The form field a service's rule error belongs to, or None for the top of the form."""
    name = fields.get(error.code)
    return name if name in form.fields else None
