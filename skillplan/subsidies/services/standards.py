"""Every write of subsidy standards (补贴标准), and which standard is in force.

A standard is a rate for one item and training type, for the whole province (the default) or
for one city (its override), over an effective period. Its figures are never edited: a change
is made by closing the standard (``standard_close``) and creating a new one from the next day
(``standard_supersede`` does both), so entitlements already computed keep the figures they used.
Periods of the same item, training type and region never overlap.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.accounts.scoping import can_act_on_region
from skillplan.audit.services import audit_record
from skillplan.core.errors import RuleError
from skillplan.core.models import save_new
from skillplan.regions.models import Region, RegionLevel
from skillplan.subsidies.choices import (
    COMPETITION_EXCLUDED,
    CompetitionCost,
    RateBasis,
    SubsidyItem,
)
from skillplan.subsidies.models import SubsidyStandard

# How the rate of each item may apply.
ALLOWED_BASIS: dict[str, tuple[str, ...]] = {
    SubsidyItem.TRAINING_FEE: (RateBasis.PER_PERSON, RateBasis.PER_PERSON_DAY),
    SubsidyItem.LIVING: (RateBasis.PER_DAY_ATTENDED,),
    SubsidyItem.APPRAISAL: (RateBasis.PER_CERTIFICATE,),
    SubsidyItem.COMPETITION: (RateBasis.PER_PERSON,),
}
FIGURES = ("item", "training_type", "region_code", "basis", "rate", "max_days", "min_days", "cap",
           "share_province", "share_city", "share_county", "pays_without_completion",
           "effective_from", "effective_to", "is_example", "basis_text", "cost_kinds")
HUNDRED = Decimal("100")


def province_code() -> str:
    return str(settings.SKILLPLAN_PROVINCE_CODE)


def snapshot(standard: SubsidyStandard) -> dict[str, Any]:
    data = {name: getattr(standard, name) for name in FIGURES}
    for name in ("rate", "cap", "share_province", "share_city", "share_county"):
        data[name] = None if data[name] is None else str(data[name])
    for name in ("effective_from", "effective_to"):
        data[name] = data[name].isoformat() if data[name] else None
    return data


def may_manage(user: Any, region_code: str) -> bool:
    """The province for its default (and any city); a city for its own override only."""
    return can_act_on_region(user, region_code, permission=roles.MANAGE_STANDARDS)


def competition_cost_check(kind: str) -> None:
    """A competition subsidy pays only :class:`CompetitionCost` kinds: never prizes, travel,
    board or sundries (``competition_excluded``)."""
    if kind in COMPETITION_EXCLUDED or kind not in CompetitionCost.values:
        raise RuleError("competition_excluded", _(
            "A competition training subsidy pays only for training materials, the venue and "
            "equipment, and coaching; never for prizes, travel, board or sundries."))


def _cost_kinds(item: str, raw: Any) -> str:
    kinds = [k.strip() for k in (raw if isinstance(raw, list | tuple) else
                                 str(raw or "").split(",")) if str(k).strip()]
    if item != SubsidyItem.COMPETITION:
        if kinds:
            raise RuleError("cost_kinds_not_allowed", _(
                "Only a competition training subsidy names the costs it covers."))
        return ""
    if not kinds:
        raise RuleError("cost_kinds_required", _(
            "Name the costs the competition training subsidy pays for."))
    for kind in kinds:
        competition_cost_check(kind)
    return ",".join(k for k in CompetitionCost.values if k in kinds)


def _check_figures(standard: SubsidyStandard) -> None:
    if standard.basis not in ALLOWED_BASIS.get(standard.item, ()):
        raise RuleError("basis_not_allowed", _(
            "This subsidy item cannot be paid that way: training fees are paid per trainee or "
            "per trainee and day, living costs per day attended, appraisal fees per skill "
            "certificate, competition subsidies per trainee."))
    if standard.rate is None or standard.rate <= 0:
        raise RuleError("rate_positive", _("The rate must be more than 0 yuan."))
    parts = (standard.share_province, standard.share_city, standard.share_county)
    if any(part < 0 for part in parts):
        raise RuleError("shares_sum", _("A share cannot be negative."))
    shares = sum(parts, Decimal("0"))
    if shares != HUNDRED:
        raise RuleError("shares_sum", _(
            "The shares paid by the province, the city and the county must add up to 100 %%; "
            "they add up to %(sum)s %%.") % {"sum": shares})
    if standard.cap is not None and standard.cap <= 0:
        raise RuleError("cap_positive", _("A cap must be more than 0 yuan, or left empty."))
    if standard.effective_to and standard.effective_to < standard.effective_from:
        raise RuleError("period_order", _("The standard cannot end before it starts."))


def _overlapping(standard: SubsidyStandard) -> SubsidyStandard | None:
    """Another standard of the same item, type and region whose period meets this one's."""
    others = SubsidyStandard.objects.filter(
        item=standard.item, training_type=standard.training_type,
        region_code=standard.region_code).exclude(pk=standard.pk)
    others = others.filter(Q(effective_to__isnull=True)
                           | Q(effective_to__gte=standard.effective_from))
    if standard.effective_to is not None:
        others = others.filter(effective_from__lte=standard.effective_to)
    return others.order_by("effective_from").first()


def _check_period(standard: SubsidyStandard) -> None:
    other = _overlapping(standard)
    if other is not None:
        raise RuleError("period_overlap", _(
            "A standard for the same item, training type and region is already in force from "
            "%(start)s; close it first (give it an end date) or start this one after it "
            "ends.") % {"start": other.effective_from.isoformat()})


def _money(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except ArithmeticError as exc:
        raise RuleError("rate_positive", _("Enter an amount in yuan.")) from exc


def _region(value: Any) -> Region:
    region = value if isinstance(value, Region) else Region.objects.filter(code=value).first()
    if region is None or region.level not in (RegionLevel.PROVINCE, RegionLevel.CITY):
        raise RuleError("region_level", _(
            "A standard applies to the whole province (the default) or to one city."))
    return region


def _lock_key(standard: SubsidyStandard) -> None:
    """Serialise creations for one item, type and region (so two cannot both pass the overlap
    check): lock the rows of that key, or the region row when there are none yet."""
    list(SubsidyStandard.objects.select_for_update().filter(
        item=standard.item, training_type=standard.training_type,
        region_code=standard.region_code).values_list("pk", flat=True))
    list(Region.objects.select_for_update().filter(pk=standard.region_id)
         .values_list("pk", flat=True))


@transaction.atomic
def standard_create(*, actor: Any, values: Mapping[str, Any]) -> SubsidyStandard:
    """A new standard from ``values`` (model field names; ``region`` a Region or its code)."""
    region = _region(values.get("region"))
    if actor is not None and not may_manage(actor, region.code):
        raise PermissionDenied
    item = str(values.get("item") or "")
    standard = SubsidyStandard(
        item=item, training_type=values.get("training_type") or "", region=region,
        region_code=region.code, basis=values.get("basis") or "",
        rate=_money(values.get("rate")), max_days=values.get("max_days") or None,
        min_days=values.get("min_days") or None, cap=_money(values.get("cap")),
        share_province=Decimal(values.get("share_province") or 0),
        share_city=Decimal(values.get("share_city") or 0),
        share_county=Decimal(values.get("share_county") or 0),
        pays_without_completion=bool(values.get("pays_without_completion")),
        effective_from=values.get("effective_from"), effective_to=values.get("effective_to"),
        is_example=bool(values.get("is_example")),
        basis_text=str(values.get("basis_text") or "").strip(),
        cost_kinds=_cost_kinds(item, values.get("cost_kinds")))
    if item not in SubsidyItem.values:
        raise RuleError("item_invalid", _("Choose a subsidy item."))
    if not isinstance(standard.effective_from, date):
        raise RuleError("period_order", _("Give the date the standard comes into force."))
    _check_figures(standard)
    _lock_key(standard)
    _check_period(standard)
    try:
        save_new(standard, actor=actor)
    except ValidationError as exc:
        raise RuleError("invalid", "; ".join(exc.messages)) from exc
    audit_record(actor=actor, event="standard.created", target=standard,
                 region_code=standard.region_code, after=snapshot(standard))
    return standard


@transaction.atomic
def standard_close(*, actor: Any, standard: SubsidyStandard, effective_to: date
                   ) -> SubsidyStandard:
    """End ``standard`` on ``effective_to`` (inclusive). Only its end date changes; what was
    computed with it keeps its figures."""
    if actor is not None and not may_manage(actor, standard.region_code):
        raise PermissionDenied
    standard = SubsidyStandard.objects.select_for_update().get(pk=standard.pk)
    if effective_to < standard.effective_from:
        raise RuleError("period_order", _("The standard cannot end before it starts."))
    if standard.effective_to is not None and effective_to > standard.effective_to:
        raise RuleError("close_later", _(
            "This standard already ends on %(end)s; a standard can be ended earlier, never "
            "extended. Create a new standard for the later period.") % {
                "end": standard.effective_to.isoformat()})
    before = standard.effective_to
    standard.effective_to = effective_to
    standard.version += 1
    standard.updated_by = actor if getattr(actor, "pk", None) else None
    standard.save(update_fields=["effective_to", "version", "updated_by"])
    audit_record(actor=actor, event="standard.closed", target=standard,
                 region_code=standard.region_code,
                 before={"effective_to": before.isoformat() if before else None},
                 after={"effective_to": effective_to.isoformat()})
    return standard


@transaction.atomic
def standard_supersede(*, actor: Any, standard: SubsidyStandard, values: Mapping[str, Any]
                       ) -> SubsidyStandard:
    """Replace ``standard`` from ``values["effective_from"]``: the old one ends the day before
    and a new one (same item, training type and region) starts with the new figures."""
    start = values.get("effective_from")
    if not isinstance(start, date) or start <= standard.effective_from:
        raise RuleError("supersede_start", _(
            "The new standard must start after the current one started (%(start)s).") % {
                "start": standard.effective_from.isoformat()})
    standard_close(actor=actor, standard=standard, effective_to=start - timedelta(days=1))
    merged = {**values, "item": standard.item, "training_type": standard.training_type,
              "region": standard.region}
    created = standard_create(actor=actor, values=merged)
    audit_record(actor=actor, event="standard.superseded", target=standard,
                 region_code=standard.region_code, after={"replaced_by": created.pk})
    return created


def standard_in_force(*, item: str, training_type: str, region_code: str, on: date
                      ) -> SubsidyStandard | None:
    """The standard for ``item`` and ``training_type`` in force on ``on`` for a class held in
    ``region_code``: the city's own standard, else the province default."""
    covering = SubsidyStandard.objects.filter(
        item=item, training_type=training_type, effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on)).select_related("region")
    for code in (region_code[:4], province_code()):
        found = covering.filter(region_code=code).order_by("-effective_from").first()
        if found is not None:
            return found
    return None
