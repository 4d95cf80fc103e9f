"""How audit events read in change histories: event codes and field names as words.

Each app registers labels for the events it writes, in its ``AppConfig.ready()``::

    from skillplan.audit.labels import register_events
    register_events({"person.created": _("Registered"), "person.updated": _("Details changed")})

A code nobody registered shows as itself. Field names come from the target model's
``verbose_name`` (the event's ``target_type`` names the model) and values of fields with choices
from the choice labels; anything else shows as recorded. The audit viewer keeps the raw codes
beside the words, for the audit administrator.
"""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

_EVENTS: dict[str, Any] = {}


def register_events(labels: dict[str, Any]) -> None:
    """``{event code: translated label (gettext_lazy)}``; a later registration wins."""
    _EVENTS.update(labels)


def event_label(code: str) -> str:
    label = _EVENTS.get(code)
    return str(label) if label is not None else code


def _model(target_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(target_type) if "." in target_type else None
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def field_label(target_type: str, name: str) -> str:
    """The field's verbose name on the target model, or ``name`` when it is not a field."""
    field = _field(_model(target_type), name)
    return capfirst(str(field.verbose_name)) if field is not None else name


def value_text(field: models.Field | None, value: Any) -> str:
    """A recorded value as a reader sees it: a choice's label, yes/no, or the value."""
    if value is None or value == "":
        return "—"
    if field is not None and field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def labelled_changes(event: Any) -> list[tuple[str, str | None, str]]:
    """(field label, old value text or None when there was none, new value text)."""
    model = _model(event.target_type)
    before = event.before or {}
    rows = []
    for name, old, new in event.changes:
        field = _field(model, name)
        label = capfirst(str(field.verbose_name)) if field is not None else name
        rows.append((label, value_text(field, old) if name in before else None,
                     value_text(field, new)))
    return rows
