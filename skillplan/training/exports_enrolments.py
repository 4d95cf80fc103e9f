"""Excel export of a class roster, as a background job like every other export.

The job re-reads the class through the scoped selector as its owner when it runs (so an export
started before the owner lost access writes nothing), masks ID numbers, and is one audit event.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skillplan.accounts import roles
from skillplan.audit.services import audit_record
from skillplan.core.exports import Column, export_xlsx
from skillplan.jobs.models import Job
from skillplan.jobs.services import job_finish, job_start
from skillplan.training.models import Enrolment, TrainingClass
from skillplan.training.selectors import class_get
from skillplan.training.selectors_enrolments import roster

KIND = "training.roster_export"
EXPORTS_DIR = "exports"


def roster_export_start(*, actor: Any, training_class: TrainingClass) -> Job:
    if not actor.has_perm(roles.EXPORT_CLASSES):
        raise PermissionDenied
    title = gettext_lazy("Roster export of class %(code)s") % {"code": training_class.code}
    return job_start(owner=actor, kind=KIND, title=str(title),
                     params={"class_id": training_class.pk})


def _person(getter: Any) -> Any:
    return lambda e: getter(e.person) if e.person_id else ""


def roster_columns() -> list[Column[Enrolment]]:
    name = gettext_lazy("Full name")
    id_number = gettext_lazy("ID number (masked)")
    gender = gettext_lazy("Gender")
    birth = gettext_lazy("Birth date")
    category = gettext_lazy("Disability category")
    grade = gettext_lazy("Disability grade")
    county = gettext_lazy("Household county")
    employer = gettext_lazy("Employer")
    position = gettext_lazy("Position")
    enrolled = gettext_lazy("Enrolled on")
    status = gettext_lazy("Status")
    withdrawn = gettext_lazy("Withdrawn at")
    reason = gettext_lazy("Reason for withdrawal")
    return [
        Column(name, lambda e: e.display_name, text=True),
        Column(id_number, _person(lambda p: p.masked_id_number), text=True),
        Column(gender, _person(lambda p: p.get_gender_display())),
        Column(birth, _person(lambda p: p.birth_date)),
        Column(category, _person(lambda p: p.get_category_display())),
        Column(grade, _person(lambda p: p.get_grade_display())),
        Column(county, _person(lambda p: p.region.full_name), text=True),
        Column(employer, lambda e: e.participant_employer, text=True),
        Column(position, lambda e: e.participant_role, text=True),
        Column(enrolled, lambda e: e.enrolled_on),
        Column(status, lambda e: e.get_status_display()),
        Column(withdrawn, lambda e: e.withdrawn_at, datetime=True),
        Column(reason, lambda e: e.withdraw_reason, text=True),
    ]


def export_roster(job: Job) -> None:
    owner = job.owner
    if not owner.has_perm(roles.EXPORT_CLASSES):
        raise PermissionDenied
    try:
        training_class = class_get(user=owner, pk=int(job.params.get("class_id", 0)))
    except Http404 as error:
        raise PermissionDenied from error
    with translation.override(settings.LANGUAGE_CODE):
        relative = f"{EXPORTS_DIR}/{job.pk}.xlsx"
        target = Path(settings.FILES_DIR) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        count = export_xlsx(target, sheet_title=_("Class roster"), columns=roster_columns(),
                            rows=iter(roster(training_class)))
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        with transaction.atomic():
            job_finish(job, result={"rows": count}, result_file=relative,
                       result_filename=f"roster-{training_class.code}-{stamp}.xlsx",
                       message=_("%(count)s trainees exported.") % {"count": count})
            audit_record(actor=owner, event="roster.exported", target=training_class,
                         region_code=training_class.region_code,
                         after={"rows": count, "job": str(job.pk)})
