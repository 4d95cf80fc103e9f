"""Excel exports for the finance department, run as background jobs: the claims with their
lines (ID numbers masked), the payments, and the fund summary by region, item and paying level.

Each job re-runs the scoped selectors with its owner as the user at run time, for the year (and
city) of the page it was started from, and is one audit event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
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
from skillplan.core.exports import Column, export_xlsx
from skillplan.jobs.models import Job
from skillplan.jobs.services import job_finish, job_start
from skillplan.subsidies.choices import PayingLevel, SubsidyItem
from skillplan.subsidies.models import ClaimLine, Payment
from skillplan.subsidies.selectors_funds import (
    FundFilters,
    ItemLevelRow,
    claims_in_scope,
    item_level_by_region,
    payments_in_scope,
)

CLAIMS_KIND = "subsidies.claims_export"
PAYMENTS_KIND = "subsidies.payments_export"
SUMMARY_KIND = "subsidies.funds_export"
EXPORTS_DIR = "exports"


def _need(user: Any) -> None:
    if not user.has_perm(roles.VIEW_SUBSIDY):
        raise PermissionDenied


def _params(filters: FundFilters) -> dict[str, Any]:
    return {"year": filters.year, "city": filters.city}


def _filters(job: Job) -> FundFilters:
    year = int(job.params.get("year") or timezone.localdate().year)
    return FundFilters(year=year, city=str(job.params.get("city") or ""))


def funds_export_start(*, actor: Any, kind: str, filters: FundFilters) -> Job:
    _need(actor)
    titles = {CLAIMS_KIND: gettext_lazy("Subsidy claims export"),
              PAYMENTS_KIND: gettext_lazy("Subsidy payments export"),
              SUMMARY_KIND: gettext_lazy("Fund summary export")}
    if kind not in titles:
        raise ValueError(kind)
    return job_start(owner=actor, kind=kind, title=f"{titles[kind]} {filters.year}",
                     params=_params(filters))


# --- columns ---------------------------------------------------------------------------------


def claim_line_columns() -> list[Column[ClaimLine]]:
    def person(line: ClaimLine) -> Any:
        entitlement = line.entitlement
        return entitlement.person if entitlement is not None and entitlement.person_id else None

    def enrolment_name(line: ClaimLine) -> str:
        entitlement = line.entitlement
        return entitlement.enrolment.display_name if entitlement is not None else ""

    return [
        Column(gettext_lazy("Claim number"),
               lambda r: r.claim.number, text=True),
        Column(gettext_lazy("Kind"), lambda r: r.claim.get_kind_display()),
        Column(gettext_lazy("Claim status"),
               lambda r: r.claim.get_status_display()),
        Column(gettext_lazy("Class code"),
               lambda r: r.claim.training_class.code,
               text=True),
        Column(gettext_lazy("Class name"),
               lambda r: r.claim.training_class.name,
               text=True),
        Column(gettext_lazy("Training provider"),
               lambda r: r.claim.provider.name,
               text=True),
        Column(gettext_lazy("Region code"),
               lambda r: r.claim.region_code, text=True),
        Column(gettext_lazy("Trainee"), enrolment_name, text=True),
        Column(gettext_lazy("ID number (masked)"),
               lambda r: p.masked_id_number if (p := person(r)) is not None else "", text=True),
        Column(gettext_lazy("Subsidy item"),
               lambda r: r.get_item_display()),
        Column(gettext_lazy("Amount (yuan)"), lambda r: r.amount),
        Column(gettext_lazy("How it was computed"),
               lambda r: r.explanation, text=True),
        Column(gettext_lazy("Submitted at"),
               lambda r: r.claim.submitted_at,
               datetime=True),
        Column(gettext_lazy("Approved at"), lambda r: r.claim.approved_at,
               datetime=True),
        Column(gettext_lazy("Approved by"),
               lambda r: r.claim.approved_by.full_name if r.claim.approved_by_id else "",
               text=True),
    ]


def payment_columns() -> list[Column[Payment]]:
    return [
        Column(gettext_lazy("Claim number"),
               lambda r: r.claim.number, text=True),
        Column(gettext_lazy("Class code"),
               lambda r: r.claim.training_class.code,
               text=True),
        Column(gettext_lazy("Training provider"),
               lambda r: r.claim.provider.name,
               text=True),
        Column(gettext_lazy("Region code"),
               lambda r: r.claim.region_code, text=True),
        Column(gettext_lazy("Paid by"),
               lambda r: r.get_paying_level_display()),
        Column(gettext_lazy("Paid on"), lambda r: r.paid_on),
        Column(gettext_lazy("Voucher number"),
               lambda r: r.voucher_number, text=True),
        Column(gettext_lazy("Amount (yuan)"), lambda r: r.amount),
        Column(gettext_lazy("Recorded by"),
               lambda r: r.recorded_by.full_name if r.recorded_by_id else "", text=True),
    ]


def summary_level_columns() -> list[Column[ItemLevelRow]]:
    columns: list[Column[ItemLevelRow]] = [
        Column(gettext_lazy("Region"), lambda r: r.label, text=True),
        Column(gettext_lazy("Region code"),
               lambda r: r.key, text=True),
    ]
    for value, label in SubsidyItem.choices:
        columns.append(Column(label, _getter_item(value)))
    columns.append(Column(gettext_lazy("Computed in all (yuan)"),
                          lambda r: r.total))
    for value, label in PayingLevel.choices:
        columns.append(Column(_("Share of %(level)s (yuan)") % {"level": label},
                              _getter_share(value)))
    for value, label in PayingLevel.choices:
        columns.append(Column(_("Paid by %(level)s (yuan)") % {"level": label},
                              _getter_paid(value)))
    return columns


def _getter_item(item: str) -> Callable[[ItemLevelRow], Any]:
    return lambda row: row.items[item]


def _getter_share(level: str) -> Callable[[ItemLevelRow], Any]:
    return lambda row: row.shares[level]


def _getter_paid(level: str) -> Callable[[ItemLevelRow], Any]:
    return lambda row: row.paid[level]


# --- the jobs --------------------------------------------------------------------------------


def claim_lines_for_export(*, user: Any, filters: FundFilters) -> Iterator[ClaimLine]:
    lines = ClaimLine.objects.filter(
        claim__in=claims_in_scope(user=user).values("pk"),
        claim__training_class__start_date__year=filters.year)
    if filters.city:
        lines = lines.filter(claim__region_code__startswith=filters.city)
    return (lines.select_related("claim", "claim__training_class", "claim__provider",
                                 "claim__approved_by", "entitlement__person",
                                 "entitlement__enrolment__person")
            .order_by("claim_id", "pk").iterator(chunk_size=2000))


def payments_for_export(*, user: Any, filters: FundFilters) -> Iterator[Payment]:
    return (payments_in_scope(user=user, filters=filters)
            .select_related("claim", "claim__training_class", "claim__provider", "recorded_by")
            .order_by("paid_on", "pk").iterator(chunk_size=2000))


def _write(job: Job, *, sheet: str, columns: Sequence[Column[Any]], rows: Any, name: str,
           event: str, filters: FundFilters) -> None:
    relative = f"{EXPORTS_DIR}/{job.pk}.xlsx"
    target = Path(settings.FILES_DIR) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    count = export_xlsx(target, sheet_title=sheet, columns=columns, rows=rows)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    with transaction.atomic():
        job_finish(job, result={"rows": count}, result_file=relative,
                   result_filename=f"{name}-{filters.year}-{stamp}.xlsx",
                   message=_("%(count)s rows exported.") % {"count": count})
        audit_record(actor=job.owner, event=event, target=job, region_code=job.region_code,
                     after={"rows": count, **_params(filters)})


def export_claims(job: Job) -> None:
    owner = job.owner
    _need(owner)
    filters = _filters(job)
    with translation.override(settings.LANGUAGE_CODE):
        _write(job, sheet=_("Subsidy claims"), columns=claim_line_columns(),
               rows=claim_lines_for_export(user=owner, filters=filters), name="claims",
               event="claims.exported", filters=filters)


def export_payments(job: Job) -> None:
    owner = job.owner
    _need(owner)
    filters = _filters(job)
    with translation.override(settings.LANGUAGE_CODE):
        _write(job, sheet=_("Subsidy payments"), columns=payment_columns(),
               rows=payments_for_export(user=owner, filters=filters), name="payments",
               event="payments.exported", filters=filters)


def export_summary(job: Job) -> None:
    owner = job.owner
    _need(owner)
    filters = _filters(job)
    with translation.override(settings.LANGUAGE_CODE):
        rows = item_level_by_region(user=owner, filters=filters)
        _write(job, sheet=_("Fund summary"), columns=summary_level_columns(), rows=iter(rows),
               name="fund-summary", event="funds.exported", filters=filters)
