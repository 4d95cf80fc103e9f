"""Every write to the carriers: create, change, change status. Each checks that the actor may
act on the carrier's county, validates with ``full_clean`` (the kind rules of
``Carrier.clean``), and writes one audit event in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.accounts.scoping import Reach, can_act_on_region, restrict, scope_of
from skillplan.audit.services import audit_record
from skillplan.carriers.models import Carrier, CarrierStatus
from skillplan.core.errors import RuleError
from skillplan.core.models import save_new, save_versioned
from skillplan.providers.models import Provider

# The fields a form or an import may set (status has its own service).
EDITABLE_FIELDS = (
    "name", "kind", "provider", "employer_name", "employer_credit_code", "region", "address",
    "contact_name", "contact_phone", "recognised_by", "recognised_on", "notes",
    "master_name", "master_occupation", "master_title", "heritage_item", "heritage_level",
    "women_total", "women_disabled", "work_arrangement", "products", "employees_placed",
)  # fmt: skip
# What the audit trail keeps (ids and codes rather than objects).
TRACKED_FIELDS = tuple(
    f"{name}_id" if name == "provider" else "region_code" if name == "region" else name
    for name in EDITABLE_FIELDS
)


def may_manage_carriers(user: Any) -> bool:
    """Federation staff with CHANGE_PROVIDER manage the carriers of their area. Provider staff
    see the carriers linked to their provider but do not record them: a carrier is what a
    federation recognises."""
    return bool(user.is_authenticated and user.has_perm(roles.CHANGE_PROVIDER)) and scope_of(
        user).reach in (Reach.PROVINCE, Reach.REGION)


def _check_region(actor: Any, region_code: str) -> None:
    if not can_act_on_region(actor, region_code, permission=roles.CHANGE_PROVIDER):
        raise RuleError("region_out_of_scope", _(
            "This county lies outside your area: you can only record carriers of your own "
            "area. Ask the federation of that county to record it."))


def _check_provider(actor: Any, provider: Provider | None) -> None:
    if provider is not None and not restrict(
        Provider.objects.filter(pk=provider.pk), actor, permission=roles.VIEW_PROVIDER
    ).exists():
        raise RuleError("provider_out_of_scope", _(
            "This training provider is not one you may see. Choose a provider of your area, "
            "or record the employer instead."))


def _audit_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _snapshot(carrier: Carrier) -> dict[str, Any]:
    return {name: _audit_value(getattr(carrier, name)) for name in TRACKED_FIELDS}


def _apply(carrier: Carrier, values: Mapping[str, Any]) -> None:
    for name in EDITABLE_FIELDS:
        if name in values:
            value = values[name]
            if isinstance(value, str):
                value = value.strip()
            setattr(carrier, name, value)
    if carrier.region_id:
        carrier.region_code = carrier.region.code


@transaction.atomic
def carrier_create(*, actor: Any, values: Mapping[str, Any]) -> Carrier:
    """Record a carrier (active from the start). ``values``: model field values by name."""
    carrier = Carrier()
    _apply(carrier, values)
    _check_region(actor, carrier.region_code)
    _check_provider(actor, carrier.provider)
    save_new(carrier, actor=actor)
    audit_record(actor=actor, event="carrier.created", target=carrier,
                 region_code=carrier.region_code, after=_snapshot(carrier))
    return carrier


@transaction.atomic
def carrier_update(*, actor: Any, carrier: Carrier, values: Mapping[str, Any],
                   expected_version: int) -> Carrier:
    """Change a carrier's details; ``expected_version`` is the version the user saw."""
    _check_region(actor, carrier.region_code)
    before = _snapshot(carrier)
    old_provider = carrier.provider_id
    _apply(carrier, values)
    _check_region(actor, carrier.region_code)
    if carrier.provider_id != old_provider:
        _check_provider(actor, carrier.provider)
    fields = [name for name in EDITABLE_FIELDS if name not in ("provider", "region")]
    fields += ["provider", "region", "region_code"]
    carrier.full_clean()  # the kind rules may empty fields; compare after them
    after = _snapshot(carrier)
    if before == after:
        return carrier
    save_versioned(carrier, actor=actor, expected_version=expected_version, fields=fields)
    changed = [name for name in TRACKED_FIELDS if before[name] != after[name]]
    audit_record(actor=actor, event="carrier.updated", target=carrier,
                 region_code=carrier.region_code,
                 before={name: before[name] for name in changed},
                 after={name: after[name] for name in changed})
    return carrier


@transaction.atomic
def carrier_set_status(*, actor: Any, carrier: Carrier, status: str, reason: str,
                       expected_version: int) -> Carrier:
    """Suspend, close or reopen a carrier, with the reason (kept on the record and in the
    audit trail)."""
    _check_region(actor, carrier.region_code)
    reason = reason.strip()
    if len(reason) < 2:
        raise RuleError("reason_required", _(
            "Say why the status changes, for example: 整改期间暂停 or 企业注销."))
    if status not in CarrierStatus.values or not carrier.can_move_to(status):
        raise RuleError("status_not_allowed", _(
            "A carrier that is %(current)s cannot become %(new)s.") % {
            "current": carrier.get_status_display(),
            "new": CarrierStatus(status).label if status in CarrierStatus.values else status})
    old = carrier.status
    carrier.status = status
    carrier.status_reason = reason[:200]
    carrier.status_changed_at = timezone.now()
    save_versioned(carrier, actor=actor, expected_version=expected_version,
                   fields=["status", "status_reason", "status_changed_at"])
    audit_record(actor=actor, event="carrier.status_changed", target=carrier,
                 region_code=carrier.region_code, before={"status": old},
                 after={"status": status, "reason": reason[:200]})
    return carrier
