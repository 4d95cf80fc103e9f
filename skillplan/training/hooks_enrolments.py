"""What the roster adds to the rest of the platform, connected from ``apps.py``: the labels of
its audit events, the roster export job, and the person's classes on the person's page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def _person_training(request: HttpRequest, person: Any) -> dict[str, Any]:
    from skillplan.training.selectors_enrolments import person_enrolments

    return {"enrolments": person_enrolments(user=request.user, person=person)}


def register_enrolment_hooks() -> None:
    from skillplan.audit.labels import register_events
    from skillplan.jobs import handlers
    from skillplan.people.views import register_chain_section
    from skillplan.training import exports_enrolments
    from skillplan.training.services.enrolments import AUDIT_EVENTS

    register_events(AUDIT_EVENTS)
    handlers.register(exports_enrolments.KIND, exports_enrolments.export_roster)
    register_chain_section("training", template="training/roster_person_classes.html",
                           context=_person_training)
