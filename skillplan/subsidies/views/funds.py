"""Fund pages (资金监管): money per class, per provider and per region, by item and paying level,
the anomaly list, and the exports for the finance department. Thin: ``selectors_funds`` and
``selectors_anomalies`` read, scoped to the user's area."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillplan.accounts import roles
from skillplan.subsidies import exports_funds
from skillplan.subsidies.choices import PayingLevel, SubsidyItem
from skillplan.subsidies.forms_funds import FundFilterForm
from skillplan.subsidies.hooks_funds import may_supervise_funds
from skillplan.subsidies.selectors_anomalies import KIND_LABELS, anomalies
from skillplan.subsidies.selectors_funds import (
    by_provider,
    by_region,
    class_funds,
    item_level_by_region,
    item_level_total,
    region_depth,
    total_of,
)

CLASS_ROWS_SHOWN = 500
EXPORT_KINDS = {"claims": exports_funds.CLAIMS_KIND, "payments": exports_funds.PAYMENTS_KIND,
                "summary": exports_funds.SUMMARY_KIND}


def _filter_form(request: HttpRequest) -> FundFilterForm:
    data = request.GET if "year" in request.GET else None
    return FundFilterForm(request.user, data)


def _context(request: HttpRequest, form: FundFilterForm, page: str) -> dict[str, Any]:
    filters = form.filters()
    query_values = form.query_values() if form.is_bound else [("year", str(filters.year))]
    if not form.is_bound:
        form = FundFilterForm(request.user, initial={"year": filters.year})
    return {"filter_form": form, "filters": filters, "page": page,
            "query": urlencode(query_values), "query_values": query_values,
            "can_supervise": may_supervise_funds(request.user),
            "export_choices": [("claims", _("Export claims with their lines")),
                               ("payments", _("Export payments")),
                               ("summary", _("Export the fund summary"))]}


@login_required
@permission_required(roles.VIEW_SUBSIDY, raise_exception=True)
def funds_classes(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    context = _context(request, form, "classes")
    rows = class_funds(user=request.user, filters=context["filters"])
    context.update({"rows": rows[:CLASS_ROWS_SHOWN], "more": len(rows) > CLASS_ROWS_SHOWN,
                    "count": len(rows), "total": total_of(rows)})
    return render(request, "subsidies/funds_classes.html", context)


@login_required
@permission_required(roles.VIEW_SUBSIDY, raise_exception=True)
def funds_providers(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    context = _context(request, form, "providers")
    rows = by_provider(class_funds(user=request.user, filters=context["filters"]))
    context.update({"rows": rows, "total": total_of(rows)})
    return render(request, "subsidies/funds_providers.html", context)


@login_required
@permission_required(roles.VIEW_SUBSIDY, raise_exception=True)
def funds_regions(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    context = _context(request, form, "regions")
    filters = context["filters"]
    depth = region_depth(user=request.user, filters=filters)
    rows = by_region(class_funds(user=request.user, filters=filters), depth=depth)
    levels = item_level_by_region(user=request.user, filters=filters)
    context.update({
        "rows": rows, "total": total_of(rows), "counties": depth == 6,
        "levels": levels, "levels_total": item_level_total(levels),
        "items": SubsidyItem.choices, "paying_levels": PayingLevel.choices,
    })
    return render(request, "subsidies/funds_regions.html", context)


@login_required
@permission_required(roles.VIEW_SUBSIDY, raise_exception=True)
@require_POST
def funds_export(request: HttpRequest) -> HttpResponse:
    kind = EXPORT_KINDS.get(request.POST.get("kind", ""))
    if kind is None:
        raise PermissionDenied
    filters = FundFilterForm(request.user, request.POST).filters()
    job = exports_funds.funds_export_start(actor=request.user, kind=kind, filters=filters)
    return redirect("jobs:detail", pk=job.pk)


def claim_url(pk: int) -> str | None:
    """The claim's page, once the claims pages exist."""
    try:
        return reverse("subsidies:claim_detail", args=[pk])
    except NoReverseMatch:
        return None


@login_required
@permission_required(roles.VIEW_SUBSIDY, raise_exception=True)
def anomaly_list(request: HttpRequest) -> HttpResponse:
    if not may_supervise_funds(request.user):
        raise PermissionDenied
    found = anomalies(user=request.user)
    sections = [
        {"kind": kind, "label": KIND_LABELS[kind],
         "cases": [{"case": case, "class_url": reverse("training:detail",
                                                      args=[case.training_class.pk]),
                    "other_url": reverse("training:detail", args=[case.other_class.pk])
                    if case.other_class else None,
                    "claim_url": claim_url(case.claim.pk) if case.claim else None}
                   for case in cases]}
        for kind, cases in found.items()
    ]
    return render(request, "subsidies/funds_anomalies.html", {
        "sections": sections, "count": sum(len(cases) for cases in found.values())})
