"""Template helpers for change histories: ``{{ event.event|event_label }}`` and
``{% labelled_changes event as changes %}`` (see ``audit/labels.py``)."""

from __future__ import annotations

from typing import Any

from django import template

from skillplan.audit import labels

register = template.Library()


@register.filter
def event_label(code: str) -> str:
    return labels.event_label(code)


@register.simple_tag
def labelled_changes(event: Any) -> list[tuple[str, str | None, str]]:
    return labels.labelled_changes(event)
