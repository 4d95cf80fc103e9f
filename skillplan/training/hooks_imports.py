"""What the roster and results imports add to the platform, connected from ``apps.py``: the
templates 2 and 3 (``import_data enrolments|completions`` and the web uploads with their jobs)."""

from __future__ import annotations


def register_import_hooks() -> None:
    from skillplan.imports.services import register_template
    from skillplan.training.imports import CompletionsTemplate, EnrolmentsTemplate

    register_template(EnrolmentsTemplate)
    register_template(CompletionsTemplate)
