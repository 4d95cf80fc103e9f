"""Scoped reads of purchased-service contracts, with what was spent and what remains."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from skillplan.accounts import roles
from skillplan.accounts.scoping import get_in_scope, restrict
from skillplan.subsidies.models import ContractSpending, ServiceContract

_MONEY = DecimalField(max_digits=14, decimal_places=2)
LIST_LIMIT = 500


def _with_spent(queryset: QuerySet[ServiceContract]) -> QuerySet[ServiceContract]:
    return queryset.annotate(
        spent=Coalesce(Sum("spendings__amount"), Value(Decimal("0.00")), output_field=_MONEY),
    ).annotate(remaining=F("amount") - F("spent"))


def contract_list(*, user: Any, year: int | None = None) -> QuerySet[ServiceContract]:
    """Contracts in ``user``'s area (a provider: its own), newest first; ``year``: those whose
    period touches that year."""
    queryset = restrict(ServiceContract.objects.select_related("provider", "buyer_region"),
                        user, permission=roles.VIEW_SUBSIDY)
    if year:
        queryset = queryset.filter(starts_on__year__lte=year, ends_on__year__gte=year)
    return _with_spent(queryset).order_by("-starts_on", "-id")


def contract_get(*, user: Any, pk: int, permission: str = roles.VIEW_SUBSIDY
                 ) -> ServiceContract:
    queryset = _with_spent(ServiceContract.objects.select_related("provider", "buyer_region"))
    return get_in_scope(queryset, user, permission=permission, pk=pk)


def contract_spendings(contract: ServiceContract) -> QuerySet[ContractSpending]:
    return contract.spendings.select_related("training_class", "recorded_by").order_by(
        "-spent_on", "-id")
