"""What the pages during and at the end of a class add to the rest of the platform, connected
from ``apps.py``: the labels of their audit events and the attendance and results export jobs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_EVENTS = {
    "attendance.saved": _("Attendance recorded"),
    "attendance.exported": _("Attendance exported"),
    "inspection.recorded": _("Inspection recorded (过程检查)"),
    "inspection.file_downloaded": _("Inspection evidence downloaded"),
    "enrolment.results_recorded": _("Completion results recorded"),
    "class.results_entered": _("All results entered"),
    "results.exported": _("Results exported"),
}


def register_during_hooks() -> None:
    from skillplan.audit.labels import register_events
    from skillplan.jobs import handlers
    from skillplan.training import exports_during

    register_events(AUDIT_EVENTS)
    handlers.register(exports_during.ATTENDANCE_KIND, exports_during.export_attendance)
    handlers.register(exports_during.RESULTS_KIND, exports_during.export_results)
