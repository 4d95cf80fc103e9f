"""The one validation of a training class (培训班), used by the form, the services and the API
alike; and the format of class codes (``HN-430100-2025-0001``).

:func:`check_class` looks at the values alone (and at the project they name); whether the
*actor* may open a class there is the services' question (``services/classes.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.catalog.choices import Accommodation, ProjectStatus
from skillplan.catalog.rules import HOURS_PER_DAY, Problem
from skillplan.core.errors import RuleError
from skillplan.regions.models import RegionLevel

MAX_CAPACITY = 1000
MAX_DAYS = 365
MAX_BUDGET = Decimal("100000000")  # 一亿元: far above any class; catches a typo of digits
FIRST_YEAR = 2000


class ClassInvalid(RuleError):
    """The values of a class break the rules; ``problems`` says which field and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].code, problems[0].message)
        self.problems = problems
        self.field = problems[0].field


@dataclass
class ClassValues:
    """What a class is made of, before it is stored. ``project`` is a TrainingProject,
    ``provider`` a Provider, ``region`` the county (a Region) where the class is held."""

    name: str
    project: Any
    provider: Any
    region: Any
    start_date: date | None
    end_date: date | None
    days: int = 0
    hours: int = 0
    venue: str = ""
    venue_accessible: bool = False
    venue_accessibility_note: str = ""
    capacity: int = 0
    teachers: str = ""
    accommodations: int = 0
    budget: Decimal = Decimal("0")


def code_prefix() -> str:
    return str(getattr(settings, "SKILLPLAN_CLASS_CODE_PREFIX",
                       getattr(settings, "SKILLPLAN_CATALOG_CODE_PREFIX", "HN")))


def class_code(city_code: str, year: int, number: int) -> str:
    """``HN-430100-2025-0001``: the city's code padded to six digits, the year of the first
    day, and the city's sequence number of that year."""
    return f"{code_prefix()}-{city_code[:4].ljust(6, '0')}-{year}-{number:04d}"


# --- checks ----------------------------------------------------------------------------------


def _check_text(values: ClassValues, problems: list[Problem]) -> None:
    values.name = " ".join(str(values.name or "").split())
    values.venue = " ".join(str(values.venue or "").split())
    values.venue_accessibility_note = str(values.venue_accessibility_note or "").strip()
    values.teachers = str(values.teachers or "").strip()
    if not values.name:
        problems.append(Problem("name", "name_required", _(
            "Give the class a name, such as 面点师培训班（第一期）.")))
    elif len(values.name) > 120:
        problems.append(Problem("name", "name_too_long", _(
            "The class name may have at most 120 characters.")))
    if not values.venue:
        problems.append(Problem("venue", "venue_required", _(
            "Say where the class is held: the address of the venue.")))
    elif len(values.venue) > 200:
        problems.append(Problem("venue", "venue_too_long", _(
            "The venue may have at most 200 characters.")))
    if len(values.venue_accessibility_note) > 300:
        problems.append(Problem("venue_accessibility_note", "note_too_long", _(
            "The note on accessibility may have at most 300 characters.")))
    if len(values.teachers) > 1000:
        problems.append(Problem("teachers", "teachers_too_long", _(
            "The list of teachers may have at most 1000 characters.")))


def _check_project(values: ClassValues, problems: list[Problem]) -> None:
    project, provider = values.project, values.provider
    if project is None:
        problems.append(Problem("project", "project_required", _(
            "Choose the catalog project the class runs.")))
    elif project.status != ProjectStatus.PUBLISHED:
        problems.append(Problem("project", "project_not_published", _(
            "Only a published catalog project can be run as a class; %(code)s is “%(status)s”."
        ) % {"code": project.code, "status": project.get_status_display()}))
    if provider is None:
        problems.append(Problem("provider", "provider_required", _(
            "Choose the training provider that runs the class.")))
    elif project is not None and not project.providers.filter(pk=provider.pk).exists():
        problems.append(Problem("provider", "provider_not_allowed", _(
            "%(provider)s is not among the providers allowed to run %(code)s. Ask the "
            "federation that keeps the catalog to add it, or choose another project.") % {
            "provider": provider.name, "code": project.code}))


def _check_region(values: ClassValues, problems: list[Problem]) -> None:
    region, provider, project = values.region, values.provider, values.project
    if region is None:
        problems.append(Problem("region", "region_required", _(
            "Choose the county where the class is held.")))
        return
    if region.level != RegionLevel.COUNTY or region.valid_to is not None:
        problems.append(Problem("region", "region_level", _(
            "Choose a current county (区、县、县级市) as the place of the class.")))
        return
    if provider is not None and not region.code.startswith(provider.region_code[:4]):
        problems.append(Problem("region", "region_other_city", _(
            "A provider holds its classes in its own city: choose a county of the city of "
            "%(provider)s.") % {"provider": provider.name}))
    elif project is not None and not region.code.startswith(project.region_code):
        problems.append(Problem("region", "region_outside_project", _(
            "Project %(code)s belongs to another city; a class of it is held in that "
            "city.") % {"code": project.code}))


def _check_dates(values: ClassValues, problems: list[Problem]) -> None:
    start, end = values.start_date, values.end_date
    if start is None:
        problems.append(Problem("start_date", "start_required", _(
            "Give the first day of the class.")))
    if end is None:
        problems.append(Problem("end_date", "end_required", _(
            "Give the last day of the class.")))
    if start is None or end is None:
        return
    if start.year < FIRST_YEAR or end.year > timezone.localdate().year + 2:
        problems.append(Problem("start_date", "dates_out_of_range", _(
            "The dates of the class must lie between %(first)s and the end of %(last)s.") % {
            "first": FIRST_YEAR, "last": timezone.localdate().year + 2}))
        return
    if end < start:
        problems.append(Problem("end_date", "dates_order", _(
            "The last day cannot be before the first day.")))
        return
    span = (end - start).days + 1
    if not 1 <= values.days <= min(span, MAX_DAYS):
        problems.append(Problem("days", "days_invalid", _(
            "The class lasts %(span)s calendar days, so it has between 1 and %(span)s training "
            "days.") % {"span": min(span, MAX_DAYS)}))
    elif values.hours < 1:
        problems.append(Problem("hours", "hours_invalid", _(
            "The number of class hours must be at least 1.")))
    elif values.hours > values.days * HOURS_PER_DAY:
        problems.append(Problem("hours", "hours_too_many", _(
            "%(hours)s class hours do not fit in %(days)s training days: at most %(per_day)s "
            "hours a day, so at most %(max)s hours.") % {
            "hours": values.hours, "days": values.days, "per_day": HOURS_PER_DAY,
            "max": values.days * HOURS_PER_DAY}))


def _check_numbers(values: ClassValues, problems: list[Problem]) -> None:
    if not 1 <= values.capacity <= MAX_CAPACITY:
        problems.append(Problem("capacity", "capacity_invalid", _(
            "The number of places must be between 1 and %(max)s.") % {"max": MAX_CAPACITY}))
    try:
        budget = Decimal(values.budget)
        budget = budget.quantize(Decimal("0.01")) if budget.is_finite() else Decimal("-1")
    except (InvalidOperation, TypeError, ValueError):
        budget = Decimal("-1")
    if not Decimal("0") <= budget <= MAX_BUDGET:
        problems.append(Problem("budget", "budget_invalid", _(
            "The budget is an amount in yuan between 0 and %(max)s, with at most two "
            "decimals.") % {"max": MAX_BUDGET}))
    else:
        values.budget = budget
    all_bits = sum(Accommodation.values)
    if values.accommodations < 0 or values.accommodations & ~all_bits:
        problems.append(Problem("accommodations", "accommodations_invalid", _(
            "Choose accommodations from the list.")))
    elif values.accommodations & Accommodation.ACCESSIBLE_VENUE and not values.venue_accessible:
        problems.append(Problem("venue_accessible", "venue_not_accessible", _(
            "The class offers an accessible venue, so tick “the venue is accessible” (or do "
            "not offer it).")))


def check_class(values: ClassValues) -> list[Problem]:
    """Every problem of ``values`` (empty when the class may be stored); normalises in place."""
    problems: list[Problem] = []
    _check_text(values, problems)
    _check_project(values, problems)
    _check_region(values, problems)
    _check_dates(values, problems)
    _check_numbers(values, problems)
    return problems
