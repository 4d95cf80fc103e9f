"""Pages of the standards (补贴标准) and of a class's computed entitlements (补贴测算).

Thin: forms parse, ``services.standards`` and ``services.entitlements`` decide, the selectors
scope. Standards are never edited: a change is a new standard replacing the current one from a
date (the supersede form)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillplan.accounts import roles
from skillplan.audit.selectors import events_for_target
from skillplan.core.errors import RuleError
from skillplan.regions.models import Region
from skillplan.subsidies.forms_standards import (
    StandardFilterForm,
    StandardForm,
    SupersedeForm,
    manageable_regions,
    supersede_initial,
)
from skillplan.subsidies.selectors_standards import (
    class_entitlements,
    class_for_subsidies,
    standard_get,
    standard_list,
    standards_visible,
)
from skillplan.subsidies.services import standards as services
from skillplan.subsidies.services.entitlements import (
    COMPUTABLE,
    entitlements_compute_for_class,
    may_compute,
)

LIST_LIMIT = 200


def _region_choices(user: Any) -> list[tuple[str, str]]:
    codes = set(standards_visible(user).values_list("region_code", flat=True))
    return [(region.code, region.name) for region in
            Region.objects.filter(code__in=codes).order_by("code")]


@login_required
@permission_required(roles.VIEW_SUBSIDY, raise_exception=True)
def standards(request: HttpRequest) -> HttpResponse:
    form = StandardFilterForm(_region_choices(request.user), request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = list(standard_list(user=request.user, item=filters.get("item", ""),
                              training_type=filters.get("training_type", ""),
                              region=filters.get("region", ""),
                              when=filters.get("when") or "current")[:LIST_LIMIT + 1])
    return render(request, "subsidies/standard_list.html", {
        "filter_form": form, "rows": rows[:LIST_LIMIT], "more": len(rows) > LIST_LIMIT,
        "filtered": any(request.GET.get(k) for k in ("item", "training_type", "region", "when")),
        "can_manage": bool(manageable_regions(request.user)),
    })


@login_required
@permission_required(roles.VIEW_SUBSIDY, raise_exception=True)
def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    standard = standard_get(user=request.user, pk=pk)
    return render(request, "subsidies/standard_detail.html", {
        "standard": standard, "can_manage": services.may_manage(request.user,
                                                                standard.region_code),
        "used": standard.entitlements.exclude(status="void").count(),
        "history": list(events_for_target(target=standard)[:50]),
    })


def _values(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "cost_kinds": list(data.get("cost_kinds") or [])}


@login_required
@permission_required(roles.MANAGE_STANDARDS, raise_exception=True)
def standard_create(request: HttpRequest) -> HttpResponse:
    form = StandardForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            standard = services.standard_create(actor=request.user,
                                                values=_values(form.cleaned_data))
        except RuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The standard was saved."))
            return redirect("subsidies:standard_detail", standard.pk)
    return render(request, "subsidies/standard_form.html", {"form": form, "creating": True})


@login_required
@permission_required(roles.MANAGE_STANDARDS, raise_exception=True)
def standard_supersede(request: HttpRequest, pk: int) -> HttpResponse:
    standard = standard_get(user=request.user, pk=pk)
    if not services.may_manage(request.user, standard.region_code):
        raise PermissionDenied
    form = SupersedeForm(request.POST or None, initial=supersede_initial(standard))
    if request.method == "POST" and form.is_valid():
        try:
            created = services.standard_supersede(actor=request.user, standard=standard,
                                                  values=_values(form.cleaned_data))
        except RuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The new standard replaces the old one from %(date)s.")
                             % {"date": created.effective_from.isoformat()})
            return redirect("subsidies:standard_detail", created.pk)
    return render(request, "subsidies/standard_form.html", {
        "form": form, "creating": False, "standard": standard})


@login_required
@permission_required(roles.VIEW_SUBSIDY, raise_exception=True)
def class_entitlements_view(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = class_for_subsidies(user=request.user, pk=pk)
    return render(request, "subsidies/entitlements.html", {
        "training_class": training_class, "data": class_entitlements(training_class),
        "can_compute": (training_class.status in COMPUTABLE
                        and may_compute(request.user, training_class)),
        "computable": training_class.status in COMPUTABLE,
    })


@login_required
@require_POST
@permission_required(roles.PREPARE_CLAIM, raise_exception=True)
def class_entitlements_compute(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = class_for_subsidies(user=request.user, pk=pk)
    if not may_compute(request.user, training_class):
        raise PermissionDenied
    try:
        current = entitlements_compute_for_class(actor=request.user,
                                                 training_class=training_class)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Subsidies computed: %(count)s lines.")
                         % {"count": len(current)})
    return redirect("subsidies:class_entitlements", training_class.pk)
