"""Pages of the purchased services (政府购买服务): the contracts with spent and remaining money, a
contract with its spendings, the contract form and the spending form. Thin: forms parse,
``services.contracts`` decides."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from skillplan.accounts import roles
from skillplan.accounts.scoping import can_act_on_region
from skillplan.audit.selectors import events_for_target
from skillplan.core.errors import ConcurrentUpdateError, RuleError
from skillplan.subsidies.forms_contracts import ContractForm, SpendingForm, initial_of
from skillplan.subsidies.models import ServiceContract
from skillplan.subsidies.selectors_contracts import (
    LIST_LIMIT,
    contract_get,
    contract_list,
    contract_spendings,
)
from skillplan.subsidies.services import contracts as services


def _form_error(form: Any, error: RuleError) -> None:
    for problem in getattr(error, "problems", None) or []:
        form.add_error(problem.field if problem.field in form.fields else None,
                       problem.message)
    if not getattr(error, "problems", None):
        form.add_error(None, error.message)


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


@login_required
@permission_required(roles.VIEW_SUBSIDY, raise_exception=True)
def contract_list_view(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    rows = list(contract_list(user=request.user, year=year)[:LIST_LIMIT + 1])
    return render(request, "subsidies/contract_list.html", {
        "rows": rows[:LIST_LIMIT], "more": len(rows) > LIST_LIMIT, "year": year,
        "can_manage": request.user.has_perm(roles.MANAGE_CONTRACTS),
    })


@login_required
@permission_required(roles.VIEW_SUBSIDY, raise_exception=True)
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_get(user=request.user, pk=pk)
    can_manage = can_act_on_region(request.user, contract.region_code,
                                   permission=roles.MANAGE_CONTRACTS)
    return render(request, "subsidies/contract_detail.html", {
        "contract": contract, "spendings": list(contract_spendings(contract)),
        "projects": list(contract.projects.order_by("code")),
        "can_manage": can_manage,
        "history": events_for_target(target=contract)[:50] if can_manage else None,
    })


@login_required
@permission_required(roles.MANAGE_CONTRACTS, raise_exception=True)
def contract_create(request: HttpRequest) -> HttpResponse:
    form = ContractForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_create(actor=request.user, values=form.values())
        except RuleError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Contract %(number)s is saved.") % {
                "number": contract.number})
            return redirect("subsidies:contract_detail", pk=contract.pk)
    return render(request, "subsidies/contract_form.html", {"form": form, "creating": True})


@login_required
@permission_required(roles.MANAGE_CONTRACTS, raise_exception=True)
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_get(user=request.user, pk=pk, permission=roles.MANAGE_CONTRACTS)
    form = ContractForm(request.user, request.POST or None, creating=False,
                        initial=initial_of(contract))
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_update(actor=request.user, contract=contract,
                                     values=form.values(),
                                     expected_version=form.cleaned_data["version"])
        except ConcurrentUpdateError as error:
            form.add_error(None, error.message)
            data = form.data.copy()
            data["version"] = str(ServiceContract.objects.get(pk=pk).version)
            form.data = data
        except RuleError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("subsidies:contract_detail", pk=contract.pk)
    return render(request, "subsidies/contract_form.html",
                  {"form": form, "creating": False, "contract": contract})


@login_required
@permission_required(roles.MANAGE_CONTRACTS, raise_exception=True)
def spending_create(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_get(user=request.user, pk=pk, permission=roles.MANAGE_CONTRACTS)
    form = SpendingForm(request.user, contract, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.spending_record(actor=request.user, contract=contract,
                                     spent_on=data["spent_on"], amount=data["amount"],
                                     note=data["note"], training_class=data["training_class"])
        except RuleError as error:
            field = {"outside_period": "spent_on", "overspent": "amount",
                     "amount_not_positive": "amount", "note_missing": "note",
                     "class_other_provider": "training_class"}.get(error.code)
            form.add_error(field, error.message)
        else:
            messages.success(request, _("The spending is recorded."))
            return redirect("subsidies:contract_detail", pk=contract.pk)
    return render(request, "subsidies/contract_spending_form.html",
                  {"form": form, "contract": contract})
