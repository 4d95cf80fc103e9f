"""Excel exports of the catalog, run as background jobs: the list (kind
``catalog.projects_export``) and the brand-project overview (kind ``catalog.brands_export``).

Each job re-runs its scoped selector with the job owner as the user and the page's filters
(the list's filters, the overview's period), at run time; each export is one audit event
(``projects.exported``, ``brands.exported``).
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
from skillplan.catalog.choices import Delivery, NewEconomy, ProjectStatus, SubType, TrainingType
from skillplan.catalog.models import TrainingProject
from skillplan.catalog.rules import brand_period
from skillplan.catalog.selectors import (
    CityBrand,
    ProjectFilters,
    brand_overview_in_scope,
    project_queryset,
)
from skillplan.core.exports import Column, export_xlsx
from skillplan.jobs.models import Job
from skillplan.jobs.services import job_finish, job_progress, job_start

KIND = "catalog.projects_export"
BRANDS_KIND = "catalog.brands_export"
EXPORTS_DIR = "exports"
FILTER_KEYS = tuple(f.name for f in fields(ProjectFilters))


def projects_export_start(*, actor: Any, filters: ProjectFilters) -> Job:
    if not actor.has_perm(roles.VIEW_PROJECT):
        raise PermissionDenied
    params = {"filters": {key: getattr(filters, key) for key in FILTER_KEYS}}
    return job_start(owner=actor, kind=KIND, title=str(gettext_lazy("Training catalog export")),
                     params=params)


def _labels(choices: Any) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def project_columns() -> list[Column[TrainingProject]]:
    kinds, subs = _labels(TrainingType), _labels(SubType)
    deliveries, statuses, economy = _labels(Delivery), _labels(ProjectStatus), _labels(NewEconomy)

    return [
        Column(pgettext_lazy("catalog export column", "Project code"),
               lambda p: p.code, text=True),
        Column(pgettext_lazy("catalog export column", "Project name"),
               lambda p: p.name, text=True),
        Column(pgettext_lazy("catalog export column", "Training type"),
               lambda p: kinds.get(p.training_type, "")),
        Column(pgettext_lazy("catalog export column", "Project class"),
               lambda p: subs.get(p.sub_type, "")),
        Column(pgettext_lazy("catalog export column", "Employer"),
               lambda p: p.employer_name, text=True),
        Column(pgettext_lazy("catalog export column", "Occupation code"),
               lambda p: p.occupation_code, text=True),
        Column(pgettext_lazy("catalog export column", "Occupation name"),
               lambda p: p.occupation_name, text=True),
        Column(pgettext_lazy("catalog export column", "Training days"),
               lambda p: p.days),
        Column(pgettext_lazy("catalog export column", "Class hours"),
               lambda p: p.hours),
        Column(pgettext_lazy("catalog export column", "Delivery"),
               lambda p: deliveries.get(p.delivery, "")),
        Column(pgettext_lazy("catalog export column", "Fee standard (yuan per trainee)"),
               lambda p: p.fee_standard),
        Column(pgettext_lazy("catalog export column", "Disability categories served"),
               lambda p: "、".join(p.category_labels)),
        Column(pgettext_lazy("catalog export column", "Accommodations"),
               lambda p: "、".join(p.accommodation_labels)),
        Column(pgettext_lazy("catalog export column", "Region"),
               lambda p: p.region.full_name, text=True),
        Column(pgettext_lazy("catalog export column", "Providers"),
               lambda p: "、".join(x.name for x in p.providers.all()),
               text=True),
        Column(pgettext_lazy("catalog export column", "New-economy project"),
               lambda p: economy.get(p.new_economy, "")),
        Column(pgettext_lazy("catalog export column", "Status"),
               lambda p: statuses.get(p.status, "")),
        Column(pgettext_lazy("catalog export column", "Published on"),
               lambda p: timezone.localtime(p.published_at).date()
               if p.published_at else None),
    ]


def export_projects(job: Job) -> None:
    """Write the owner's scoped, filtered projects to FILES_DIR/exports/<job id>.xlsx."""
    owner = job.owner
    if not owner.has_perm(roles.VIEW_PROJECT):
        raise PermissionDenied
    raw = job.params.get("filters") or {}
    filters = ProjectFilters(**{key: str(raw.get(key, "") or "") for key in FILTER_KEYS})
    with translation.override(settings.LANGUAGE_CODE):
        projects = (project_queryset(user=owner, filters=filters)
                    .select_related("region").prefetch_related("providers"))
        total = projects.count()
        relative = f"{EXPORTS_DIR}/{job.pk}.xlsx"
        target = Path(settings.FILES_DIR) / relative
        target.parent.mkdir(parents=True, exist_ok=True)

        def progress(done: int) -> None:
            job_progress(job, percent=min(99, done * 100 // max(total, 1)),
                         message=_("%(done)s of %(total)s projects written") % {
                             "done": done, "total": total})

        rows = export_xlsx(target, sheet_title=_("Training catalog"), columns=project_columns(),
                           rows=iter(projects), on_progress=progress, progress_every=500)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        with transaction.atomic():
            job_finish(job, result={"rows": rows}, result_file=relative,
                       result_filename=f"catalog-{stamp}.xlsx",
                       message=_("%(count)s projects exported.") % {"count": rows})
            audit_record(actor=owner, event="projects.exported", target=job,
                         region_code=job.region_code,
                         after={"rows": rows, "filters": {k: v for k, v in raw.items() if v}})


# --- brand-project overview ------------------------------------------------------------------


def brands_export_start(*, actor: Any, year: int) -> Job:
    if not actor.has_perm(roles.VIEW_PROJECT):
        raise PermissionDenied
    return job_start(owner=actor, kind=BRANDS_KIND,
                     title=str(gettext_lazy("Brand projects export")), params={"year": year})


def brand_columns(year: int) -> list[Column[CityBrand]]:
    first, last = brand_period(year)
    period = f"{first}–{last}"
    statuses, economy = _labels(ProjectStatus), _labels(NewEconomy)
    yes, no = _("Yes"), _("No")

    def has_brand(row: CityBrand) -> str:
        # As on the page: a brand whose project was withdrawn counts as missing.
        published = row.brand is not None and row.brand.project.status == ProjectStatus.PUBLISHED
        return yes if published else no

    return [
        Column(pgettext_lazy("brand export column", "City"),
               lambda r: r.city.name, text=True),
        Column(pgettext_lazy("brand export column", "Period"), lambda r: period, text=True),
        Column(pgettext_lazy("brand export column", "Brand project name"),
               lambda r: r.brand.project.name if r.brand else "", text=True),
        Column(pgettext_lazy("brand export column", "Brand project code"),
               lambda r: r.brand.project.code if r.brand else "", text=True),
        Column(pgettext_lazy("brand export column", "Project status"),
               lambda r: statuses.get(r.brand.project.status, "") if r.brand else ""),
        Column(pgettext_lazy("brand export column", "New-economy project"),
               lambda r: economy.get(r.brand.project.new_economy, no) if r.brand else ""),
        Column(pgettext_lazy("brand export column", "City has a brand project"), has_brand),
    ]


def export_brands(job: Job) -> None:
    """Write the brand project of each city of the owner's area, for the period holding the
    job's year, to FILES_DIR/exports/<job id>.xlsx."""
    owner = job.owner
    if not owner.has_perm(roles.VIEW_PROJECT):
        raise PermissionDenied
    year = int(job.params.get("year") or timezone.localdate().year)
    with translation.override(settings.LANGUAGE_CODE):
        rows_in_scope = brand_overview_in_scope(user=owner, year=year)
        total = len(rows_in_scope)
        relative = f"{EXPORTS_DIR}/{job.pk}.xlsx"
        target = Path(settings.FILES_DIR) / relative
        target.parent.mkdir(parents=True, exist_ok=True)

        def progress(done: int) -> None:
            job_progress(job, percent=min(99, done * 100 // max(total, 1)),
                         message=_("%(done)s of %(total)s cities written") % {
                             "done": done, "total": total})

        rows = export_xlsx(target, sheet_title=_("Brand projects"), columns=brand_columns(year),
                           rows=iter(rows_in_scope), on_progress=progress, progress_every=500)
        start, end = brand_period(year)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        with transaction.atomic():
            job_finish(job, result={"rows": rows}, result_file=relative,
                       result_filename=f"brand-projects-{start}-{end}-{stamp}.xlsx",
                       message=_("%(count)s cities exported.") % {"count": rows})
            audit_record(actor=owner, event="brands.exported", target=job,
                         region_code=job.region_code,
                         after={"rows": rows, "period": [start, end]})
