"""Excel export of the person registry, run as a background job (kind ``people.persons_export``).

The job re-runs the list's scoped selector with the job OWNER as the user and the list's
filters, at run time: an export holds exactly the persons the owner may see when it runs.
ID numbers, certificate numbers and phones are masked unless the owner asked for full values,
gave a reason and still holds the reveal permission when the job runs; either way the export is
one audit event (``persons.exported``) saying how many rows, which filters and whether the
numbers were revealed.

Rows are read as tuples (``values_list`` with the region's name joined in the same query,
``iterator(chunk_size=2000)``) rather than as model instances: building 100,000 ``Person``
objects costs more than writing the whole file, and the export needs no model behaviour.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from skillplan.audit.services import audit_record
from skillplan.core.disability import DisabilityCategory, DisabilityGrade
from skillplan.core.errors import RuleError
from skillplan.core.exports import Column, export_xlsx
from skillplan.core.masking import mask_id_number, mask_phone
from skillplan.jobs.models import Job
from skillplan.jobs.services import job_finish, job_progress, job_start
from skillplan.people.choices import (
    Education,
    EmploymentStatus,
    Gender,
    SpecialGroup,
    UrbanRural,
)
from skillplan.people.permissions import EXPORT_PERSONS, REVEAL_PERSONAL_DATA
from skillplan.people.selectors import (
    PersonFilters,
    looks_like_id_number,
    person_queryset,
    search_id_hash,
)

KIND = "people.persons_export"
EXPORTS_DIR = "exports"
CHUNK_SIZE = 2000
PROGRESS_EVERY = 5000
FILTER_KEYS = tuple(f.name for f in fields(PersonFilters))

# The columns read from the database, in this order (one query, the region joined).
FIELDS = (
    "name", "id_number", "certificate_number", "category", "grade", "gender", "birth_date",
    "ethnicity", "education", "region__full_name", "urban_rural", "phone",
    "employment_status", "flags",
)  # fmt: skip
(
    NAME,
    ID_NUMBER,
    CERTIFICATE,
    CATEGORY,
    GRADE,
    GENDER,
    BIRTH,
    ETHNICITY,
    EDUCATION,
    REGION,
    URBAN_RURAL,
    PHONE,
    EMPLOYMENT,
    FLAGS,
) = range(len(FIELDS))

Record = tuple[Any, ...]


def filters_from_params(params: dict[str, Any]) -> PersonFilters:
    raw = params.get("filters") or {}
    return PersonFilters(**{key: str(raw.get(key, "") or "") for key in FILTER_KEYS})


def persons_export_start(
    *, actor: Any, filters: PersonFilters, reveal: bool = False, reason: str = ""
) -> Job:
    """Queue an export of the persons ``actor`` sees through ``filters``.

    ``reveal`` asks for full ID, certificate and phone numbers: only for holders of the reveal
    permission, with a reason (kept in the audit trail)."""
    if not actor.has_perm(EXPORT_PERSONS):
        raise PermissionDenied
    reason = reason.strip()
    if reveal:
        if not actor.has_perm(REVEAL_PERSONAL_DATA):
            raise PermissionDenied
        if len(reason) < 2:
            raise RuleError(
                "reason_required",
                gettext_lazy("Say why the export needs full ID, certificate and phone numbers."),
            )
    if looks_like_id_number(filters.q):  # never keep a full ID number in job params or audit
        filters = replace(filters, q="", id_hash=search_id_hash(filters.q))
    params = {
        "filters": {key: getattr(filters, key) for key in FILTER_KEYS},
        "reveal": bool(reveal),
        "reason": reason[:200],
    }
    title = (
        gettext_lazy("Person export with full numbers") if reveal else gettext_lazy("Person export")
    )
    return job_start(owner=actor, kind=KIND, title=str(title), params=params)


def _labels(choices: Any) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def _group_labels() -> Callable[[int], str]:
    cache: dict[int, str] = {}

    def label(flags: int) -> str:
        if flags not in cache:
            cache[flags] = "、".join(
                str(group.label) for group in SpecialGroup if flags & group.value
            )
        return cache[flags]

    return label


def person_columns(*, reveal: bool) -> list[Column[Record]]:
    """The export's columns over a ``FIELDS`` tuple; labels in the active language."""
    category, grade, gender = (
        _labels(DisabilityCategory),
        _labels(DisabilityGrade),
        _labels(Gender),
    )
    education, urban, employment = (
        _labels(Education),
        _labels(UrbanRural),
        _labels(EmploymentStatus),
    )
    groups = _group_labels()
    keep: Callable[[str], str] = str
    id_view = keep if reveal else mask_id_number
    phone_view = keep if reveal else mask_phone
    return [
        Column(pgettext_lazy("persons export column", "Name"), lambda r: r[NAME], text=True),
        Column(
            pgettext_lazy("persons export column", "ID number"),
            lambda r: id_view(r[ID_NUMBER]),
            text=True,
        ),
        Column(
            pgettext_lazy("persons export column", "Disability certificate number"),
            lambda r: id_view(r[CERTIFICATE]),
            text=True,
        ),
        Column(
            pgettext_lazy("persons export column", "Disability category"),
            lambda r: category.get(r[CATEGORY], ""),
        ),
        Column(
            pgettext_lazy("persons export column", "Disability grade"),
            lambda r: grade.get(r[GRADE], ""),
        ),
        Column(
            pgettext_lazy("persons export column", "Gender"), lambda r: gender.get(r[GENDER], "")
        ),
        Column(pgettext_lazy("persons export column", "Birth date"), lambda r: r[BIRTH]),
        Column(
            pgettext_lazy("persons export column", "Ethnicity"), lambda r: r[ETHNICITY], text=True
        ),
        Column(
            pgettext_lazy("persons export column", "Education"),
            lambda r: education.get(r[EDUCATION], ""),
        ),
        Column(
            pgettext_lazy("persons export column", "Household county"),
            lambda r: r[REGION],
            text=True,
        ),
        Column(
            pgettext_lazy("persons export column", "Urban or rural"),
            lambda r: urban.get(r[URBAN_RURAL], ""),
        ),
        Column(
            pgettext_lazy("persons export column", "Phone"),
            lambda r: phone_view(r[PHONE]),
            text=True,
        ),
        Column(
            pgettext_lazy("persons export column", "Employment status"),
            lambda r: employment.get(r[EMPLOYMENT], ""),
        ),
        Column(
            pgettext_lazy("persons export column", "Special groups"), lambda r: groups(r[FLAGS])
        ),
    ]


def _audit_filters(filters: PersonFilters) -> dict[str, str]:
    """The filters as the audit trail may keep them: a searched ID number masked."""
    kept = {key: value for key, value in vars(filters).items() if value}
    if sum(ch.isdigit() for ch in kept.get("q", "")) >= 15:
        kept["q"] = mask_id_number(kept["q"].replace(" ", ""))
    return kept


def export_persons(job: Job) -> None:
    """Write the owner's scoped, filtered persons to FILES_DIR/exports/<job id>.xlsx."""
    owner = job.owner
    filters = filters_from_params(job.params)
    # Permissions are checked again now: the owner may have lost them since asking.
    if not owner.has_perm(EXPORT_PERSONS):
        raise PermissionDenied
    reveal = bool(job.params.get("reveal")) and owner.has_perm(REVEAL_PERSONAL_DATA)
    with translation.override(settings.LANGUAGE_CODE):
        people = person_queryset(user=owner, filters=filters)
        total = people.count()
        relative = f"{EXPORTS_DIR}/{job.pk}.xlsx"
        target = Path(settings.FILES_DIR) / relative
        target.parent.mkdir(parents=True, exist_ok=True)

        def progress(done: int) -> None:
            job_progress(
                job,
                percent=min(99, done * 100 // max(total, 1)),
                message=_("%(done)s of %(total)s persons written") % {"done": done, "total": total},
            )

        rows = export_xlsx(
            target,
            sheet_title=_("Persons"),
            columns=person_columns(reveal=reveal),
            rows=people.values_list(*FIELDS).iterator(chunk_size=CHUNK_SIZE),
            on_progress=progress,
            progress_every=PROGRESS_EVERY,
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        with transaction.atomic():
            job_finish(
                job,
                result={"rows": rows, "revealed": reveal},
                result_file=relative,
                result_filename=f"persons-{stamp}.xlsx",
                message=_("%(count)s persons exported.") % {"count": rows},
            )
            after: dict[str, Any] = {
                "rows": rows,
                "filters": _audit_filters(filters),
                "revealed": reveal,
            }
            if reveal:
                after["reason"] = str(job.params.get("reason", ""))[:200]
            audit_record(
                actor=owner,
                event="persons.exported",
                target=job,
                region_code=job.region_code,
                after=after,
            )
