"""Purchased services (政府购买服务): contracts with providers and the money spent against them.

A contract is bought by a federation (the province, a city or a county) from a provider of its
own area, for published catalog projects, over a period, for an amount. Spending is recorded
within the period, and the total spent never goes above the contract amount: the contract row
is locked while a spending is recorded, so two clerks at once cannot both overspend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.accounts.scoping import can_act_on_region
from skillplan.audit.services import audit_record
from skillplan.catalog.choices import ProjectStatus
from skillplan.catalog.models import TrainingProject
from skillplan.core.errors import RuleError
from skillplan.core.models import save_new, save_versioned
from skillplan.providers.models import Provider
from skillplan.regions.models import Region, RegionLevel
from skillplan.subsidies.models import ZERO, ContractSpending, ServiceContract
from skillplan.training.models import TrainingClass

CENT = Decimal("0.01")
_FIELDS = ("number", "provider", "buyer_region", "region_code", "tender_method", "amount",
           "starts_on", "ends_on", "note")


@dataclass(frozen=True)
class Problem:
    field: str | None
    code: str
    message: Any


class ContractInvalid(RuleError):
    """The values of a contract break a rule; ``problems`` says which field."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].code, problems[0].message)
        self.problems = problems


@dataclass(frozen=True)
class ContractValues:
    number: str
    provider: Provider
    buyer_region: Region
    tender_method: str
    amount: Decimal
    starts_on: date
    ends_on: date
    projects: Sequence[TrainingProject] = field(default_factory=tuple)
    note: str = ""


def spent_total(contract: ServiceContract) -> Decimal:
    total = contract.spendings.aggregate(total=Sum("amount"))["total"]
    return total if total is not None else ZERO


def _problems(values: ContractValues, *, contract: ServiceContract | None) -> list[Problem]:
    problems: list[Problem] = []
    number = values.number.strip()
    if not number:
        problems.append(Problem("number", "number_missing", _("Enter the contract number.")))
    elif ServiceContract.objects.filter(number=number).exclude(
            pk=getattr(contract, "pk", None)).exists():
        problems.append(Problem("number", "number_taken", _(
            "Another contract already has this number. Check the number on the signed "
            "contract.")))
    if values.ends_on < values.starts_on:
        problems.append(Problem("ends_on", "period_order", _(
            "The contract cannot end before it starts.")))
    if values.amount is None or values.amount <= ZERO:
        problems.append(Problem("amount", "amount_not_positive", _(
            "The contract amount must be more than 0 yuan.")))
    elif values.amount != values.amount.quantize(CENT):
        problems.append(Problem("amount", "amount_cents", _(
            "Give the amount in yuan with at most two decimal places.")))
    if values.buyer_region.level not in (RegionLevel.PROVINCE, RegionLevel.CITY,
                                         RegionLevel.COUNTY):
        problems.append(Problem("buyer_region", "buyer_level", _(
            "The buyer is the federation of the province, a city or a county.")))
    elif not values.provider.region_code.startswith(values.buyer_region.code):
        problems.append(Problem("provider", "provider_outside_buyer", _(
            "The provider is outside the buying federation's area. A federation buys services "
            "from providers of its own area; the province may buy from any provider.")))
    unpublished = [p.code for p in values.projects if p.status != ProjectStatus.PUBLISHED]
    if unpublished:
        problems.append(Problem("projects", "project_not_published", _(
            "Only published catalog projects can be covered by a contract: %(codes)s.")
            % {"codes": "、".join(unpublished)}))
    if contract is not None and contract.pk and values.amount is not None:
        spent = spent_total(contract)
        if values.amount < spent:
            problems.append(Problem("amount", "amount_below_spent", _(
                "%(spent)s yuan has already been spent against this contract, so its amount "
                "cannot be less.") % {"spent": f"{spent:,.2f}"}))
    return problems


def _check_actor(actor: Any, region_code: str) -> None:
    if not can_act_on_region(actor, region_code, permission=roles.MANAGE_CONTRACTS):
        raise PermissionDenied


def snapshot(contract: ServiceContract) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": contract.number, "provider": contract.provider_id,
        "buyer_region": contract.region_code, "tender_method": contract.tender_method,
        "amount": f"{contract.amount:.2f}", "starts_on": contract.starts_on.isoformat(),
        "ends_on": contract.ends_on.isoformat(), "note": contract.note,
    }
    if contract.pk:
        data["projects"] = sorted(contract.projects.values_list("pk", flat=True))
    return data


def _apply(contract: ServiceContract, values: ContractValues) -> None:
    contract.number = values.number.strip()
    contract.provider = values.provider
    contract.buyer_region = values.buyer_region
    contract.region_code = values.buyer_region.code
    contract.tender_method = values.tender_method
    contract.amount = values.amount
    contract.starts_on = values.starts_on
    contract.ends_on = values.ends_on
    contract.note = values.note.strip()


@transaction.atomic
def contract_create(*, actor: Any, values: ContractValues) -> ServiceContract:
    """A new contract bought by ``values.buyer_region`` (the actor's area)."""
    _check_actor(actor, values.buyer_region.code)
    problems = _problems(values, contract=None)
    if problems:
        raise ContractInvalid(problems)
    contract = ServiceContract()
    _apply(contract, values)
    save_new(contract, actor=actor)
    contract.projects.set(values.projects)
    audit_record(actor=actor, event="contract.created", target=contract,
                 region_code=contract.region_code, after=snapshot(contract))
    return contract


@transaction.atomic
def contract_update(*, actor: Any, contract: ServiceContract, values: ContractValues,
                    expected_version: int) -> ServiceContract:
    """Change a contract; its amount never goes below what was already spent."""
    _check_actor(actor, contract.region_code)
    _check_actor(actor, values.buyer_region.code)
    contract = ServiceContract.objects.select_for_update().get(pk=contract.pk)
    problems = _problems(values, contract=contract)
    if problems:
        raise ContractInvalid(problems)
    before = snapshot(contract)
    _apply(contract, values)
    save_versioned(contract, actor=actor, expected_version=expected_version,
                   fields=[name for name in _FIELDS])
    contract.projects.set(values.projects)
    after = snapshot(contract)
    changed = [key for key in after if before.get(key) != after[key]]
    if changed:
        audit_record(actor=actor, event="contract.updated", target=contract,
                     region_code=contract.region_code,
                     before={k: before.get(k) for k in changed},
                     after={k: after[k] for k in changed})
    return contract


@transaction.atomic
def spending_record(*, actor: Any, contract: ServiceContract, spent_on: date, amount: Decimal,
                    note: str, training_class: TrainingClass | None = None
                    ) -> ContractSpending:
    """Money spent against ``contract``: within its period, never above its amount."""
    _check_actor(actor, contract.region_code)
    contract = ServiceContract.objects.select_for_update().get(pk=contract.pk)
    if amount is None or amount <= ZERO:
        raise RuleError("amount_not_positive", _("The amount spent must be more than 0 yuan."))
    if amount != amount.quantize(CENT):
        raise RuleError("amount_cents", _(
            "Give the amount in yuan with at most two decimal places."))
    if not contract.starts_on <= spent_on <= contract.ends_on:
        raise RuleError("outside_period", _(
            "The date is outside the contract period (%(start)s to %(end)s).") % {
            "start": contract.starts_on.isoformat(), "end": contract.ends_on.isoformat()})
    if not note.strip():
        raise RuleError("note_missing", _("Say what the money was spent on."))
    if training_class is not None and training_class.provider_id != contract.provider_id:
        raise RuleError("class_other_provider", _(
            "The class is run by another provider than the one of the contract."))
    spent = spent_total(contract)
    if spent + amount > contract.amount:
        raise RuleError("overspent", _(
            "This would spend more than the contract amount: %(amount)s yuan, of which "
            "%(spent)s yuan is already spent, so at most %(left)s yuan remains.") % {
            "amount": f"{contract.amount:,.2f}", "spent": f"{spent:,.2f}",
            "left": f"{contract.amount - spent:,.2f}"})
    spending = ContractSpending(
        contract=contract, spent_on=spent_on, amount=amount, note=note.strip()[:300],
        training_class=training_class,
        recorded_by=actor if getattr(actor, "pk", None) else None, recorded_at=timezone.now())
    spending.full_clean()
    spending.save()
    audit_record(actor=actor, event="contract.spending_recorded", target=contract,
                 region_code=contract.region_code,
                 after={"spending": spending.pk, "spent_on": spent_on.isoformat(),
                        "amount": f"{amount:.2f}", "note": spending.note,
                        "training_class": getattr(training_class, "pk", None),
                        "spent_total": f"{spent + amount:.2f}"})
    return spending
