"""Excel export of the class list, run as a background job (kind ``training.classes_export``).

The job re-runs the scoped selector with the job owner as the user and the list's filters, at
run time; each export is one audit event (``classes.exported``). Rosters, attendance and
results are exported by the modules of those parts.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skillplan.accounts import roles
from skillplan.audit.services import audit_record
from skillplan.catalog.choices import Accommodation, TrainingType
from skillplan.core.exports import Column, export_xlsx
from skillplan.jobs.models import Job
from skillplan.jobs.services import job_finish, job_progress, job_start
from skillplan.training.choices import ClassStatus
from skillplan.training.models import TrainingClass
from skillplan.training.selectors import ClassFilters, class_list, results_overdue_days

KIND = "training.classes_export"
EXPORTS_DIR = "exports"
FILTER_KEYS = tuple(f.name for f in fields(ClassFilters))


def classes_export_start(*, actor: Any, filters: ClassFilters) -> Job:
    if not actor.has_perm(roles.EXPORT_CLASSES):
        raise PermissionDenied
    params = {"filters": {key: getattr(filters, key) for key in FILTER_KEYS}}
    return job_start(owner=actor, kind=KIND, title=str(gettext_lazy("Training classes export")),
                     params=params)


def _labels(choices: Any) -> dict[Any, str]:
    return {value: str(label) for value, label in choices.choices}


def _local_date(value: Any) -> Any:
    return timezone.localtime(value).date() if value else None


def class_columns() -> list[Column[TrainingClass]]:
    kinds, statuses = _labels(TrainingType), _labels(ClassStatus)
    accommodations = _labels(Accommodation)
    yes, no = _("Yes"), _("No")

    def late(row: TrainingClass) -> str:
        return yes if row.results_late or results_overdue_days(row) is not None else no

    def offered(row: TrainingClass) -> str:
        return "、".join(label for value, label in accommodations.items()
                        if row.accommodations & value)

    return [
        Column(gettext_lazy("Class code"),
               lambda c: c.code, text=True),
        Column(gettext_lazy("Class name"),
               lambda c: c.name, text=True),
        Column(gettext_lazy("Status"),
               lambda c: statuses.get(c.status, "")),
        Column(gettext_lazy("Project code"),
               lambda c: c.project.code, text=True),
        Column(gettext_lazy("Project name"),
               lambda c: c.project.name, text=True),
        Column(gettext_lazy("Training type"),
               lambda c: kinds.get(c.training_type, "")),
        Column(gettext_lazy("Training provider"),
               lambda c: c.provider.name, text=True),
        Column(gettext_lazy("County"),
               lambda c: c.region.full_name, text=True),
        Column(gettext_lazy("First day"),
               lambda c: c.start_date),
        Column(gettext_lazy("Last day"),
               lambda c: c.end_date),
        Column(gettext_lazy("Training days"),
               lambda c: c.days),
        Column(gettext_lazy("Class hours"),
               lambda c: c.hours),
        Column(gettext_lazy("Venue"),
               lambda c: c.venue, text=True),
        Column(gettext_lazy("Venue accessible"),
               lambda c: yes if c.venue_accessible else no),
        Column(gettext_lazy("Places"),
               lambda c: c.capacity),
        Column(gettext_lazy("Enrolled"),
               lambda c: c.enrolled_count),
        Column(gettext_lazy("Accommodations offered"),
               offered),
        Column(gettext_lazy("Budget (yuan)"),
               lambda c: c.budget),
        Column(gettext_lazy("Results entered on"),
               lambda c: _local_date(c.results_entered_at)),
        Column(gettext_lazy("Days from the end to the results"),
               lambda c: c.results_delay_days),
        Column(gettext_lazy("Results late"),
               late),
        Column(gettext_lazy("Reason for cancellation"),
               lambda c: c.cancel_reason, text=True),
    ]


def export_classes(job: Job) -> None:
    """Write the owner's scoped, filtered classes to FILES_DIR/exports/<job id>.xlsx."""
    owner = job.owner
    if not owner.has_perm(roles.EXPORT_CLASSES):
        raise PermissionDenied
    raw = job.params.get("filters") or {}
    filters = ClassFilters(**{key: str(raw.get(key, "") or "") for key in FILTER_KEYS})
    with translation.override(settings.LANGUAGE_CODE):
        classes = class_list(user=owner, filters=filters)
        total = classes.count()
        relative = f"{EXPORTS_DIR}/{job.pk}.xlsx"
        target = Path(settings.FILES_DIR) / relative
        target.parent.mkdir(parents=True, exist_ok=True)

        def progress(done: int) -> None:
            job_progress(job, percent=min(99, done * 100 // max(total, 1)),
                         message=_("%(done)s of %(total)s classes written") % {
                             "done": done, "total": total})

        rows = export_xlsx(target, sheet_title=_("Training classes"), columns=class_columns(),
                           rows=classes.iterator(chunk_size=500), on_progress=progress,
                           progress_every=500)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        with transaction.atomic():
            job_finish(job, result={"rows": rows}, result_file=relative,
                       result_filename=f"classes-{stamp}.xlsx",
                       message=_("%(count)s classes exported.") % {"count": rows})
            audit_record(actor=owner, event="classes.exported", target=job,
                         region_code=job.region_code,
                         after={"rows": rows, "filters": {k: v for k, v in raw.items() if v}})
