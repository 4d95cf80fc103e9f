"""Import templates by KIND. Apps register theirs when Django starts (an AppConfig.ready).

A template keeps per-import state (caches loaded in ``begin``), so every import gets a fresh
instance from :func:`get_template`.
"""

from __future__ import annotations

from skillplan.core.imports.engine import ImportTemplate

_TEMPLATES: dict[str, type[ImportTemplate]] = {}
# Kinds of docs/import-templates.md whose templates are not built yet.
PLANNED: tuple[str, ...] = ()


def register(template: type[ImportTemplate]) -> None:
    _TEMPLATES[template.kind] = template


def get_template(kind: str) -> ImportTemplate | None:
    template = _TEMPLATES.get(kind)
    return template() if template is not None else None


def known_kinds() -> list[str]:
    return sorted(_TEMPLATES)
