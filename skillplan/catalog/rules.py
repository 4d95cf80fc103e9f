"""The one validation of a training project, used by the forms, the services, the import and
the API alike; and the two small calculations of the catalog (new-economy detection and the
two-year brand periods).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from skillplan.catalog.choices import (
    OCCUPATION_REQUIRED,
    SUB_TYPES,
    Accommodation,
    Delivery,
    NewEconomy,
    SubType,
    TrainingType,
)
from skillplan.core.disability import DisabilityCategory
from skillplan.core.errors import RuleError

OCCUPATION_CODE = re.compile(r"[1-8]-[0-9]{2}-[0-9]{2}-[0-9]{2}")
MAX_DAYS = 365
HOURS_PER_DAY = 8
MAX_FEE = Decimal("100000")
_ECOMMERCE = ("电商", "网店", "电子商务", "淘宝", "跨境")


@dataclass
class Problem:
    field: str
    code: str
    message: Any


@dataclass
class ProjectValues:
    """What a project is made of, before it is stored. ``region`` is a Region (the province for
    a province-wide project, or a city); ``providers`` are Provider instances. ``new_economy``
    None means: detect it from the name and sub-type."""

    name: str
    training_type: str
    sub_type: str = ""
    employer_name: str = ""
    occupation_code: str = ""
    occupation_name: str = ""
    days: int = 0
    hours: int = 0
    delivery: str = Delivery.OFFLINE
    fee_standard: Decimal = Decimal("0")
    categories: list[str] = field(default_factory=list)
    accommodations: int = 0
    summary: str = ""
    region: Any = None
    providers: list[Any] = field(default_factory=list)
    new_economy: str | None = None


def normalise_occupation_code(raw: object) -> str:
    """``4-02-02-01`` (also typed with full-width or long dashes, or spaces); else
    ``occupation_code_format``."""
    text = re.sub(r"[\s\u2010-\u2015\uFF0D\u2212]+", "-", str(raw or "").strip()).strip("-")
    text = text.translate({cp: chr(cp - 0xFEE0) for cp in range(0xFF10, 0xFF1A)})
    if not OCCUPATION_CODE.fullmatch(text):
        raise RuleError("occupation_code_format", _(
            "The occupation code must have the form of the 2022 Occupational Classification, "
            "such as 4-02-02-01: a digit 1–8 and three pairs of digits, joined by hyphens."))
    return text


def detect_new_economy(name: str, sub_type: str = "") -> str:
    """The new-economy kind a project's name (or sub-type) shows, or ""."""
    if "直播" in name or "带货" in name:
        return NewEconomy.LIVE_STREAMING
    if any(word in name for word in _ECOMMERCE):
        for word, kind in (("客服", NewEconomy.ECOMMERCE_SERVICE),
                           ("美工", NewEconomy.ECOMMERCE_DESIGN),
                           ("设计", NewEconomy.ECOMMERCE_DESIGN)):
            if word in name:
                return kind
        return NewEconomy.ECOMMERCE_OPERATIONS
    if sub_type == SubType.STARTUP_ECOMMERCE:
        return NewEconomy.ECOMMERCE_OPERATIONS
    return ""


def _check_type(values: ProjectValues, problems: list[Problem]) -> None:
    if values.training_type not in TrainingType.values:
        problems.append(Problem("training_type", "type_invalid", _("Choose a training type.")))
        return
    allowed = SUB_TYPES.get(values.training_type, ())
    type_label = TrainingType(values.training_type).label
    if not allowed and values.sub_type:
        problems.append(Problem("sub_type", "sub_type_not_allowed", _(
            "%(type)s has no sub-types; leave the project class empty.") % {"type": type_label}))
    elif allowed and values.sub_type not in allowed:
        names = "、".join(str(SubType(code).label) for code in allowed)
        problems.append(Problem("sub_type", "sub_type_invalid", _(
            "For %(type)s choose one of these project classes: %(names)s.") % {
            "type": type_label, "names": names}))
    if values.sub_type == SubType.ORDER_BASED and not values.employer_name.strip():
        problems.append(Problem("employer_name", "employer_required", _(
            "Order-based training is run for a named employer: give the employer's name.")))
    if values.employer_name.strip() and values.sub_type != SubType.ORDER_BASED:
        problems.append(Problem("employer_name", "employer_not_allowed", _(
            "Only order-based training names an employer; clear the employer or choose "
            "order-based training.")))


def _check_occupation(values: ProjectValues, problems: list[Problem]) -> None:
    if values.occupation_code:
        try:
            values.occupation_code = normalise_occupation_code(values.occupation_code)
        except RuleError as error:
            problems.append(Problem("occupation_code", error.code, error.message))
        if not values.occupation_name.strip():
            problems.append(Problem("occupation_name", "occupation_name_required", _(
                "Give the occupation's name as the classification writes it, such as "
                "电子商务师.")))
    elif values.training_type in OCCUPATION_REQUIRED:
        problems.append(Problem("occupation_code", "occupation_code_required", _(
            "This training type trains for an occupation: give its code in the 2022 "
            "Occupational Classification, such as 4-02-02-01.")))


def _check_time_and_money(values: ProjectValues, problems: list[Problem]) -> None:
    if not 1 <= values.days <= MAX_DAYS:
        problems.append(Problem("days", "days_invalid", _(
            "The number of training days must be between 1 and %(max)s.") % {"max": MAX_DAYS}))
    if values.hours < 1:
        problems.append(Problem("hours", "hours_invalid", _(
            "The number of class hours must be at least 1.")))
    elif 1 <= values.days <= MAX_DAYS and values.hours > values.days * HOURS_PER_DAY:
        problems.append(Problem("hours", "hours_too_many", _(
            "%(hours)s class hours do not fit in %(days)s days: at most %(per_day)s hours a "
            "day, so at most %(max)s hours.") % {
            "hours": values.hours, "days": values.days, "per_day": HOURS_PER_DAY,
            "max": values.days * HOURS_PER_DAY}))
    try:
        fee = Decimal(values.fee_standard)
        # NaN and infinity cannot be compared or rounded: refused like any bad amount.
        fee = fee.quantize(Decimal("0.01")) if fee.is_finite() else Decimal("-1")
    except (InvalidOperation, TypeError, ValueError):
        fee = Decimal("-1")
    if not Decimal("0") <= fee <= MAX_FEE:
        problems.append(Problem("fee_standard", "fee_invalid", _(
            "The fee standard is an amount in yuan per trainee between 0 and %(max)s, with at "
            "most two decimals.") % {"max": MAX_FEE}))
    else:
        values.fee_standard = fee


def check_project(values: ProjectValues) -> list[Problem]:
    """Every problem of ``values`` (empty when it may be stored); normalises in place."""
    problems: list[Problem] = []
    values.name = " ".join(values.name.split())
    values.employer_name = values.employer_name.strip()
    values.occupation_name = values.occupation_name.strip()
    if not values.name:
        problems.append(Problem("name", "name_required", _("Give the project a name.")))
    _check_type(values, problems)
    _check_occupation(values, problems)
    _check_time_and_money(values, problems)
    if values.delivery not in Delivery.values:
        problems.append(Problem("delivery", "delivery_invalid", _(
            "Choose how the training is delivered: in person, online or blended.")))
    unknown = [c for c in values.categories if c not in DisabilityCategory.values]
    if not values.categories or unknown:
        problems.append(Problem("categories", "categories_required", _(
            "Tick at least one disability category the project serves.")))
    values.categories = sorted(set(values.categories))
    all_bits = sum(Accommodation.values)
    if values.accommodations < 0 or values.accommodations & ~all_bits:
        problems.append(Problem("accommodations", "accommodations_invalid", _(
            "Choose accommodations from the list.")))
    if values.region is None:
        problems.append(Problem("region", "region_required", _(
            "Choose the province or the city the project belongs to.")))
    if values.new_economy is None:
        values.new_economy = detect_new_economy(values.name, values.sub_type)
    elif values.new_economy and values.new_economy not in NewEconomy.values:
        problems.append(Problem("new_economy", "new_economy_invalid", _(
            "Choose a new-economy kind from the list, or none.")))
    return problems


# --- Brand periods -----------------------------------------------------------------------------


def brand_period_settings() -> tuple[int, int]:
    """(first year, years per period): SKILLPLAN_BRAND_FIRST_YEAR (2022) and
    SKILLPLAN_BRAND_PERIOD_YEARS (2), configurable per province."""
    return (int(getattr(settings, "SKILLPLAN_BRAND_FIRST_YEAR", 2022)),
            int(getattr(settings, "SKILLPLAN_BRAND_PERIOD_YEARS", 2)))


def brand_period(year: int) -> tuple[int, int]:
    """The (first, last) year of the brand period holding ``year``: 2025 → (2024, 2025)."""
    first, length = brand_period_settings()
    start = first + ((year - first) // length) * length
    return start, start + length - 1


def brand_periods(until_year: int) -> list[tuple[int, int]]:
    """Every period from the first one up to the one holding ``until_year``, newest first."""
    first, length = brand_period_settings()
    periods = []
    start = first
    while start <= until_year:
        periods.append((start, start + length - 1))
        start += length
    return list(reversed(periods))
