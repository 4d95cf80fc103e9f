"""Excel export of the carrier list, run as a background job (kind ``carriers.export``).

The job re-runs the list's scoped selector with the job OWNER as the user and the list's
filters, at run time: the file holds exactly the carriers the owner may see when it runs. One
audit event (``carriers.exported``) says how many rows and which filters.
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
from django.utils.translation import gettext_lazy, pgettext_lazy

from skillplan.accounts import roles
from skillplan.audit.services import audit_record
from skillplan.carriers.models import (
    Carrier,
    CarrierKind,
    CarrierStatus,
    HeritageLevel,
    RecognitionLevel,
    WorkArrangement,
)
from skillplan.carriers.selectors import CarrierFilters, carrier_list
from skillplan.core.exports import Column, export_xlsx
from skillplan.jobs.models import Job
from skillplan.jobs.services import job_finish, job_start

KIND = "carriers.export"
EXPORTS_DIR = "exports"
FILTER_KEYS = tuple(f.name for f in fields(CarrierFilters))


def carriers_export_start(*, actor: Any, filters: CarrierFilters) -> Job:
    """Queue an export of the carriers ``actor`` sees through ``filters``."""
    if not actor.has_perm(roles.VIEW_PROVIDER):
        raise PermissionDenied
    params = {"filters": {key: getattr(filters, key) for key in FILTER_KEYS}}
    return job_start(owner=actor, kind=KIND, title=str(gettext_lazy("Carrier export")),
                     params=params)


def _label(choices: Any, value: str) -> str:
    return str(choices(value).label) if value in choices.values else ""


def carrier_columns() -> list[Column[Carrier]]:
    """The export's columns; labels in the active language."""
    return [
        Column(pgettext_lazy("carriers export column", "Name"), lambda c: c.name),
        Column(pgettext_lazy("carriers export column", "Kind"),
               lambda c: _label(CarrierKind, c.kind)),
        Column(pgettext_lazy("carriers export column", "Status"),
               lambda c: _label(CarrierStatus, c.status)),
        Column(pgettext_lazy("carriers export column", "County"), lambda c: c.region.full_name),
        Column(pgettext_lazy("carriers export column", "Training provider"),
               lambda c: c.provider.name if c.provider_id else ""),
        Column(pgettext_lazy("carriers export column", "Employer"), lambda c: c.employer_name),
        Column(pgettext_lazy("carriers export column", "Employer's credit code"),
               lambda c: c.employer_credit_code, text=True),
        Column(pgettext_lazy("carriers export column", "Address"), lambda c: c.address),
        Column(pgettext_lazy("carriers export column", "Contact person"),
               lambda c: c.contact_name),
        Column(pgettext_lazy("carriers export column", "Contact phone"),
               lambda c: c.contact_phone, text=True),
        Column(pgettext_lazy("carriers export column", "Recognised by"),
               lambda c: _label(RecognitionLevel, c.recognised_by)),
        Column(pgettext_lazy("carriers export column", "Recognised on"),
               lambda c: c.recognised_on),
        Column(pgettext_lazy("carriers export column", "Master"), lambda c: c.master_name),
        Column(pgettext_lazy("carriers export column", "Master's occupation"),
               lambda c: c.master_occupation),
        Column(pgettext_lazy("carriers export column", "Master's title and honours"),
               lambda c: c.master_title),
        Column(pgettext_lazy("carriers export column", "Heritage item"),
               lambda c: c.heritage_item),
        Column(pgettext_lazy("carriers export column", "Heritage level"),
               lambda c: _label(HeritageLevel, c.heritage_level)),
        Column(pgettext_lazy("carriers export column", "Women working"),
               lambda c: c.women_total),
        Column(pgettext_lazy("carriers export column", "Of whom disabled"),
               lambda c: c.women_disabled),
        Column(pgettext_lazy("carriers export column", "Where the women work"),
               lambda c: _label(WorkArrangement, c.work_arrangement)),
        Column(pgettext_lazy("carriers export column", "Products"), lambda c: c.products),
        Column(pgettext_lazy("carriers export column", "Disabled employees placed"),
               lambda c: c.employees_placed),
        Column(pgettext_lazy("carriers export column", "Status reason"),
               lambda c: c.status_reason),
        Column(pgettext_lazy("carriers export column", "Notes"), lambda c: c.notes),
    ]


def export_carriers(job: Job) -> None:
    """Write the owner's scoped, filtered carriers to FILES_DIR/exports/<job id>.xlsx."""
    owner = job.owner
    if not owner.has_perm(roles.VIEW_PROVIDER):  # checked again: permissions may have gone
        raise PermissionDenied
    raw = job.params.get("filters") or {}
    filters = CarrierFilters(**{key: str(raw.get(key, "") or "") for key in FILTER_KEYS})
    with translation.override(settings.LANGUAGE_CODE):
        relative = f"{EXPORTS_DIR}/{job.pk}.xlsx"
        target = Path(settings.FILES_DIR) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        rows = export_xlsx(
            target,
            sheet_title=_("Carriers"),
            columns=carrier_columns(),
            rows=carrier_list(user=owner, filters=filters).iterator(chunk_size=2000),
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        with transaction.atomic():
            job_finish(job, result={"rows": rows}, result_file=relative,
                       result_filename=f"carriers-{stamp}.xlsx",
                       message=_("%(count)s carriers exported.") % {"count": rows})
            audit_record(actor=owner, event="carriers.exported", target=job,
                         region_code=job.region_code,
                         after={"rows": rows, "filters": {k: v for k, v in raw.items() if v}})
