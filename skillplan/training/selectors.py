"""Scoped reads of training classes and their rosters (through ``accounts/scoping.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from skillplan.accounts import roles
from skillplan.accounts.roles import Role
from skillplan.accounts.scoping import Reach, get_in_scope, restrict, scope_of
from skillplan.catalog.choices import ProjectStatus
from skillplan.catalog.models import TrainingProject
from skillplan.providers.models import Provider
from skillplan.regions.models import Region, RegionLevel
from skillplan.training.choices import ClassStatus
from skillplan.training.models import ClassStep, Enrolment, TrainingClass, results_late_days

_CLASS_RELATED = ("project", "provider", "region", "evaluator")


def classes_visible(*, user: Any, permission: str = roles.VIEW_CLASS) -> QuerySet[TrainingClass]:
    """Every class ``user`` may see with ``permission``."""
    return restrict(TrainingClass.objects.select_related(*_CLASS_RELATED), user,
                    permission=permission)


def class_get(*, user: Any, pk: int, permission: str = roles.VIEW_CLASS) -> TrainingClass:
    """One class in scope, or Http404 (the same answer as for a class that does not exist)."""
    return get_in_scope(TrainingClass.objects.select_related(*_CLASS_RELATED), user,
                        permission=permission, pk=pk)


def class_get_by_code(*, user: Any, code: str,
                      permission: str = roles.VIEW_CLASS) -> TrainingClass:
    return get_in_scope(TrainingClass.objects.select_related(*_CLASS_RELATED), user,
                        permission=permission, code=code.strip().upper())


def enrolments_visible(*, user: Any, permission: str = roles.VIEW_CLASS) -> QuerySet[Enrolment]:
    """Enrolments ``user`` may see (a trainee: their own, with ``VIEW_OWN_TRAINING``)."""
    return restrict(Enrolment.objects.select_related("training_class", "person"), user,
                    permission=permission)


def enrolment_get(*, user: Any, pk: int, permission: str = roles.VIEW_CLASS) -> Enrolment:
    return get_in_scope(Enrolment.objects.select_related("training_class", "person"), user,
                        permission=permission, pk=pk)


# --- lists of classes (helper "lifecycle") ---------------------------------------------------


@dataclass(frozen=True)
class ClassFilters:
    """The filters of the class list (pages, export and API take the same)."""

    q: str = ""  # part of the class name, or its code
    status: str = ""
    region: str = ""  # a city or county code (prefix)
    provider: str = ""  # a provider id
    training_type: str = ""
    year: str = ""  # of the first day
    late: str = ""  # "yes": results late or overdue only


def _late_q(today: date | None = None) -> Q:
    """Classes whose results were entered late, or are overdue now (not entered, and the
    class's last day is more than ``results_late_days()`` days ago)."""
    limit = (today or timezone.localdate()) - timedelta(days=results_late_days())
    overdue = Q(results_entered_at__isnull=True, end_date__lt=limit,
                status__in=(ClassStatus.IN_PROGRESS, ClassStatus.ENDED))
    return Q(results_late=True) | overdue


def _apply_class_filters(classes: QuerySet[TrainingClass], filters: ClassFilters
                         ) -> QuerySet[TrainingClass]:
    text = filters.q.strip()
    if text:
        classes = classes.filter(Q(name__contains=text) | Q(code__iexact=text)
                                 | Q(code__startswith=text.upper()))
    if filters.status in ClassStatus.values:
        classes = classes.filter(status=filters.status)
    if filters.region.isdigit():
        classes = classes.filter(region_code__startswith=filters.region)
    if filters.provider.isdigit():
        classes = classes.filter(provider_id=int(filters.provider))
    if filters.training_type:
        classes = classes.filter(training_type=filters.training_type)
    if filters.year.isdigit() and len(filters.year) == 4:
        classes = classes.filter(start_date__year=int(filters.year))
    if filters.late == "yes":
        classes = classes.filter(_late_q())
    return classes


def class_list(*, user: Any, filters: ClassFilters | None = None) -> QuerySet[TrainingClass]:
    """The classes ``user`` may see that match ``filters``, newest first (by id: keyset)."""
    classes = classes_visible(user=user).select_related(*_CLASS_RELATED)
    return _apply_class_filters(classes, filters or ClassFilters()).order_by("-id")


def class_page(*, user: Any, filters: ClassFilters | None = None, after: int | None = None,
               limit: int = 50) -> tuple[list[TrainingClass], int | None]:
    """One page of :func:`class_list` after the id ``after``, and the id to go on after."""
    classes = class_list(user=user, filters=filters)
    if after:
        classes = classes.filter(id__lt=after)
    rows = list(classes[: limit + 1])
    next_after = rows[limit - 1].pk if len(rows) > limit else None
    return rows[:limit], next_after


def classes_of_provider(*, user: Any) -> dict[str, list[TrainingClass]]:
    """A provider's own classes grouped by status (in lifecycle order; empty groups left out)."""
    by_status: dict[str, list[TrainingClass]] = {}
    if not getattr(user, "provider_id", None):
        return by_status
    classes = classes_visible(user=user).filter(provider_id=user.provider_id).order_by(
        "start_date", "id")
    for training_class in classes:
        by_status.setdefault(training_class.status, []).append(training_class)
    return {status: by_status[status] for status in ClassStatus.values if status in by_status}


@dataclass(frozen=True)
class LateClass:
    training_class: TrainingClass
    delay_days: int  # from the last day to the entry of results (or to today when overdue)
    entered: bool  # False: results not entered yet (overdue now)


def results_overdue_days(training_class: TrainingClass, today: date | None = None) -> int | None:
    """Days since the class's last day when its results are overdue now, else None."""
    if training_class.results_entered_at is not None or training_class.status not in (
            ClassStatus.IN_PROGRESS, ClassStatus.ENDED):
        return None
    delay = ((today or timezone.localdate()) - training_class.end_date).days
    return delay if delay > results_late_days() else None


def classes_with_late_results(*, user: Any, limit: int = 500) -> list[LateClass]:
    """Classes whose results came late (flagged ``results_late``) and classes whose results
    are overdue now; the overdue ones first, longest delay first."""
    today = timezone.localdate()
    rows = []
    for training_class in class_list(user=user, filters=ClassFilters(late="yes"))[:limit]:
        overdue = results_overdue_days(training_class, today)
        if overdue is not None:
            rows.append(LateClass(training_class, overdue, entered=False))
        else:
            delay = training_class.results_delay_days
            rows.append(LateClass(training_class, delay if delay is not None else 0,
                                  entered=True))
    rows.sort(key=lambda row: (row.entered, -row.delay_days, -row.training_class.pk))
    return rows


def class_timeline(training_class: TrainingClass) -> list[ClassStep]:
    """The steps of the class, oldest first, with who took them."""
    return list(training_class.steps.select_related("actor").order_by("at", "id"))


def provider_choices(*, user: Any) -> QuerySet[Provider]:
    """Providers a federation clerk may open a class for (those of their area)."""
    return restrict(Provider.objects.all(), user, permission=roles.VIEW_PROVIDER).order_by(
        "region_code", "name")


def runnable_projects(*, user: Any, provider: Provider | None = None
                      ) -> QuerySet[TrainingProject]:
    """Published projects that ``provider`` (the user's own for provider staff) may run, or,
    for a federation clerk without a provider chosen, that any provider of their area may."""
    projects = TrainingProject.objects.filter(status=ProjectStatus.PUBLISHED)
    provider_id = getattr(user, "provider_id", None) or getattr(provider, "pk", None)
    if provider_id:
        projects = projects.filter(providers__id=provider_id)
    else:
        projects = projects.filter(providers__in=provider_choices(user=user))
    return projects.distinct().order_by("code")


def county_choices(*, user: Any) -> list[Region]:
    """Counties where the user may open classes: the provider's city for provider staff, the
    clerk's area for federation staff."""
    scope = scope_of(user)
    if scope.reach == Reach.PROVIDER and getattr(user, "provider", None) is not None:
        prefix = user.provider.region_code[:4]
    elif scope.reach in (Reach.PROVINCE, Reach.REGION):
        prefix = scope.region_code
    else:
        return []
    return list(Region.objects.filter(level=RegionLevel.COUNTY, valid_to__isnull=True,
                                      code__startswith=prefix).order_by("code"))


def region_filter_choices(*, user: Any) -> list[Region]:
    """Cities and counties of the user's area, for the list's region filter."""
    scope = scope_of(user)
    if scope.reach not in (Reach.PROVINCE, Reach.REGION):
        return []
    return list(Region.objects.filter(level__in=(RegionLevel.CITY, RegionLevel.COUNTY),
                                      valid_to__isnull=True,
                                      code__startswith=scope.region_code).order_by("code"))


def evaluator_choices() -> QuerySet[Any]:
    from skillplan.accounts.models import User

    return User.objects.filter(role=Role.EVALUATOR, is_active=True).order_by("full_name", "id")
