"""Excel exports of the providers list, the bases list and the coverage table, as background
jobs. Each job re-runs the page's scoped selector with the job owner as the user, at run time,
and is one audit event saying how many rows and which filters."""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
from skillplan.accounts.scoping import Reach, scope_of
from skillplan.audit.services import audit_record
from skillplan.core.exports import Column, export_xlsx
from skillplan.jobs.models import Job
from skillplan.jobs.services import job_finish, job_start
from skillplan.providers.models import (
    ACCESSIBILITY_FEATURES,
    LEVEL_ORDER,
    BaseLevel,
    Provider,
    TrainingBase,
)
from skillplan.providers.selectors import (
    BaseFilters,
    CityCoverage,
    ProviderFilters,
    base_list,
    coverage,
    provider_list,
)

PROVIDERS_KIND = "providers.providers_export"
BASES_KIND = "providers.bases_export"
COVERAGE_KIND = "providers.coverage_export"
EXPORTS_DIR = "exports"


def _start(actor: Any, kind: str, title: Any, filters: Any = None) -> Job:
    params = {"filters": {k: v for k, v in vars(filters).items()} if filters else {}}
    return job_start(owner=actor, kind=kind, title=str(title), params=params)


def providers_export_start(*, actor: Any, filters: ProviderFilters) -> Job:
    if not actor.has_perm(roles.VIEW_PROVIDER):
        raise PermissionDenied
    return _start(actor, PROVIDERS_KIND, gettext_lazy("Training providers export"), filters)


def bases_export_start(*, actor: Any, filters: BaseFilters) -> Job:
    if not actor.has_perm(roles.VIEW_PROVIDER):
        raise PermissionDenied
    return _start(actor, BASES_KIND, gettext_lazy("Training bases export"), filters)


def coverage_export_start(*, actor: Any) -> Job:
    if not (actor.has_perm(roles.VIEW_PROVIDER)
            and scope_of(actor).reach in (Reach.PROVINCE, Reach.REGION)):
        raise PermissionDenied
    return _start(actor, COVERAGE_KIND, gettext_lazy("Base coverage export"))


def _filters(job: Job, cls: type[Any]) -> Any:
    raw = job.params.get("filters") or {}
    return cls(**{f.name: str(raw.get(f.name, "") or "") for f in fields(cls)})


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


def provider_columns() -> list[Column[Provider]]:
    level = dict(BaseLevel.choices)
    columns: list[Column[Provider]] = [
        Column(pgettext_lazy("providers export column", "Name"), lambda p: p.name, text=True),
        Column(pgettext_lazy("providers export column", "Unified social credit code"),
               lambda p: p.credit_code or "", text=True),
        Column(pgettext_lazy("providers export column", "Kind"), lambda p: p.get_kind_display()),
        Column(pgettext_lazy("providers export column", "County"),
               lambda p: p.region.full_name, text=True),
        Column(pgettext_lazy("providers export column", "Address"), lambda p: p.address,
               text=True),
        Column(pgettext_lazy("providers export column", "Institution phone"),
               lambda p: p.public_phone, text=True),
        Column(pgettext_lazy("providers export column", "Contact person"),
               lambda p: p.contact_name, text=True),
        Column(pgettext_lazy("providers export column", "Contact phone"),
               lambda p: p.contact_phone, text=True),
        Column(pgettext_lazy("providers export column", "Trainees at a time"),
               lambda p: p.capacity),
        Column(pgettext_lazy("providers export column", "Licence type"),
               lambda p: p.get_licence_type_display()),
        Column(pgettext_lazy("providers export column", "Licence number"),
               lambda p: p.licence_number, text=True),
        Column(pgettext_lazy("providers export column", "Licence valid until"),
               lambda p: p.licence_valid_until),
        Column(pgettext_lazy("providers export column", "Base level"),
               lambda p: str(level.get(getattr(p, "base_level", None) or "", ""))),
    ]
    for name, label in ACCESSIBILITY_FEATURES:
        columns.append(Column(label, _feature_getter(name)))
    columns.append(Column(pgettext_lazy("providers export column", "Shown publicly"),
                          lambda p: _yes(p.published)))
    return columns


def _feature_getter(name: str) -> Callable[[Provider], str]:
    return lambda provider: _yes(getattr(provider, name))


def base_columns() -> list[Column[TrainingBase]]:
    return [
        Column(pgettext_lazy("bases export column", "Base"), lambda b: b.name, text=True),
        Column(pgettext_lazy("bases export column", "Provider"), lambda b: b.provider.name,
               text=True),
        Column(pgettext_lazy("bases export column", "County"),
               lambda b: b.provider.region.full_name, text=True),
        Column(pgettext_lazy("bases export column", "Status"), lambda b: b.get_status_display()),
        Column(pgettext_lazy("bases export column", "Level"), lambda b: b.get_level_display()),
        Column(pgettext_lazy("bases export column", "Level applied for"),
               lambda b: b.get_requested_level_display()),
        Column(pgettext_lazy("bases export column", "Valid from"), lambda b: b.valid_from),
        Column(pgettext_lazy("bases export column", "Valid until"), lambda b: b.valid_until),
        Column(pgettext_lazy("bases export column", "Applied at"), lambda b: b.applied_at,
               datetime=True),
        Column(pgettext_lazy("bases export column", "Accredited at"),
               lambda b: b.accredited_at, datetime=True),
        Column(pgettext_lazy("bases export column", "Latest comment"), lambda b: b.last_comment,
               text=True),
    ]


def coverage_columns() -> list[Column[CityCoverage]]:
    level = dict(BaseLevel.choices)
    columns: list[Column[CityCoverage]] = [
        Column(pgettext_lazy("coverage export column", "City"), lambda r: r.name, text=True),
        Column(pgettext_lazy("coverage export column", "Accredited bases"), lambda r: r.total),
        Column(pgettext_lazy("coverage export column", "Target met (at least one base)"),
               lambda r: _yes(r.covered)),
    ]
    for code in reversed(LEVEL_ORDER):
        columns.append(Column(level[code], _count_getter(code)))
        columns.append(Column(pgettext_lazy("coverage export column", "%(level)s bases")
                              % {"level": level[code]}, _names_getter(code), text=True))
    return columns


def _count_getter(code: str) -> Callable[[CityCoverage], int]:
    return lambda row: row.counts.get(code, 0)


def _names_getter(code: str) -> Callable[[CityCoverage], str]:
    return lambda row: "、".join(row.names.get(code, []))


def _write(job: Job, *, name: str, sheet: Any, columns: list[Column[Any]],
           rows: Iterable[Any], event: str, after: dict[str, Any]) -> None:
    relative = f"{EXPORTS_DIR}/{job.pk}.xlsx"
    target = Path(settings.FILES_DIR) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    count = export_xlsx(target, sheet_title=str(sheet), columns=columns, rows=rows)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    with transaction.atomic():
        job_finish(job, result={"rows": count}, result_file=relative,
                   result_filename=f"{name}-{stamp}.xlsx",
                   message=_("%(count)s rows exported.") % {"count": count})
        audit_record(actor=job.owner, event=event, target=job, region_code=job.region_code,
                     after={"rows": count, **after})


def export_providers(job: Job) -> None:
    owner = job.owner
    if not owner.has_perm(roles.VIEW_PROVIDER):
        raise PermissionDenied
    filters = _filters(job, ProviderFilters)
    with translation.override(settings.LANGUAGE_CODE):
        rows = provider_list(user=owner, filters=filters).iterator(chunk_size=2000)
        _write(job, name="providers", sheet=_("Training providers"),
               columns=provider_columns(), rows=rows, event="providers.exported",
               after={"filters": {k: v for k, v in vars(filters).items() if v}})


def export_bases(job: Job) -> None:
    owner = job.owner
    if not owner.has_perm(roles.VIEW_PROVIDER):
        raise PermissionDenied
    filters = _filters(job, BaseFilters)
    with translation.override(settings.LANGUAGE_CODE):
        rows = base_list(user=owner, filters=filters).iterator(chunk_size=2000)
        _write(job, name="bases", sheet=_("Training bases"), columns=base_columns(),
               rows=rows, event="bases.exported",
               after={"filters": {k: v for k, v in vars(filters).items() if v}})


def export_coverage(job: Job) -> None:
    owner = job.owner
    if not (owner.has_perm(roles.VIEW_PROVIDER)
            and scope_of(owner).reach in (Reach.PROVINCE, Reach.REGION)):
        raise PermissionDenied
    with translation.override(settings.LANGUAGE_CODE):
        _write(job, name="base-coverage", sheet=_("Base coverage"),
               columns=coverage_columns(), rows=coverage(user=owner),
               event="coverage.exported", after={})
