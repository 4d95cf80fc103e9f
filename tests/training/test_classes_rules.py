"""The values of a class: dates, project, provider, region, numbers; and who may open one
where."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from pytest_django.fixtures import Settings

from skillplan.catalog.choices import Accommodation, TrainingType
from skillplan.core.errors import RuleError
from skillplan.regions.models import Region
from skillplan.training.models import TrainingClass
from skillplan.training.rules import ClassInvalid, check_class, class_code
from skillplan.training.services import classes as svc
from tests.training.factories import class_values, demo_provider, make_project, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _codes(**overrides: object) -> list[tuple[str, str]]:
    project = overrides.pop("project", None) or make_project()
    values = class_values(project=project, provider=demo_provider(), **overrides)
    return [(problem.field, problem.code) for problem in check_class(values)]


def test_valid_values_have_no_problem() -> None:
    assert _codes() == []


def test_class_code_format() -> None:
    assert class_code("4301", 2025, 1) == "HN-430100-2025-0001"
    assert class_code("430102", 2025, 12345) == "HN-430100-2025-12345"


def test_the_last_day_is_not_before_the_first() -> None:
    start = timezone.localdate()
    assert ("end_date", "dates_order") in _codes(start=start, end=start - timedelta(days=1))


def test_training_days_fit_in_the_dates() -> None:
    start = timezone.localdate()
    assert ("days", "days_invalid") in _codes(start=start, end=start + timedelta(days=4),
                                              days=6)
    assert ("days", "days_invalid") in _codes(days=0)


def test_hours_fit_in_the_days() -> None:
    assert ("hours", "hours_too_many") in _codes(days=2, hours=17)
    assert _codes(days=2, hours=16, start=timezone.localdate(),
                  end=timezone.localdate() + timedelta(days=1)) == []


@pytest.mark.parametrize("capacity", [0, 1001])
def test_capacity_is_between_one_and_a_thousand(capacity: int) -> None:
    assert ("capacity", "capacity_invalid") in _codes(capacity=capacity)


@pytest.mark.parametrize("budget", [Decimal("-1"), Decimal("NaN"), Decimal("100000000.01")])
def test_budget_is_a_sensible_amount(budget: Decimal) -> None:
    assert ("budget", "budget_invalid") in _codes(budget=budget)


def test_accommodations_come_from_the_list() -> None:
    assert ("accommodations", "accommodations_invalid") in _codes(accommodations=1 << 12)
    assert _codes(accommodations=Accommodation.SIGN_LANGUAGE | Accommodation.BRAILLE,
                  venue_accessible=False) == []


def test_offering_an_accessible_venue_needs_an_accessible_venue() -> None:
    assert ("venue_accessible", "venue_not_accessible") in _codes(
        accommodations=Accommodation.ACCESSIBLE_VENUE, venue_accessible=False)


def test_name_and_venue_are_required() -> None:
    codes = _codes(name="  ", venue="")
    assert ("name", "name_required") in codes and ("venue", "venue_required") in codes


def test_the_project_must_be_published() -> None:
    draft = make_project(status="draft")
    assert ("project", "project_not_published") in _codes(project=draft)


def test_the_provider_must_be_allowed_to_run_the_project() -> None:
    other = make_project(provider=demo_provider("433101"))
    values = class_values(project=other, provider=demo_provider())
    assert ("provider", "provider_not_allowed") in [(p.field, p.code)
                                                   for p in check_class(values)]


def test_the_class_is_held_in_a_county_of_the_providers_city() -> None:
    assert ("region", "region_other_city") in _codes(region=Region.objects.get(code="433101"))
    assert ("region", "region_level") in _codes(region=Region.objects.get(code="4301"))
    assert _codes(region=Region.objects.get(code="430103")) == []


def test_the_training_type_is_copied_from_the_project() -> None:
    project = make_project(training_type=TrainingType.RURAL)
    training_class = svc.class_create(actor=user("demo_provider"),
                                      values=class_values(project=project,
                                                          provider=demo_provider()))
    assert training_class.training_type == TrainingType.RURAL


def test_a_provider_opens_classes_of_its_own_institution_only() -> None:
    project = make_project(providers=[demo_provider(), demo_provider("433101")], region="43")
    values = class_values(project=project, provider=demo_provider("433101"))
    with pytest.raises(ClassInvalid) as error:
        svc.class_create(actor=user("demo_provider"), values=values)
    assert error.value.problems[0].code == "provider_not_yours"
    assert not TrainingClass.objects.exists()


def test_a_clerk_opens_classes_in_their_own_area_only() -> None:
    project = make_project(provider=demo_provider("433101"))
    values = class_values(project=project, provider=demo_provider("433101"))
    with pytest.raises(ClassInvalid) as error:
        svc.class_create(actor=user("demo_city_changsha"), values=values)
    assert error.value.problems[0].code == "region_out_of_scope"
    created = svc.class_create(actor=user("demo_county_jishou"), values=values)
    assert created.region_code == "433101"


def test_a_county_clerk_cannot_open_a_class_in_another_county_of_the_city() -> None:
    values = class_values(project=make_project(), provider=demo_provider(),
                          region=Region.objects.get(code="430103"))
    with pytest.raises(ClassInvalid) as error:
        svc.class_create(actor=user("demo_county_furong"), values=values)
    assert error.value.problems[0].field == "region"


def test_roles_without_class_rights_cannot_open_classes() -> None:
    values = class_values(project=make_project(), provider=demo_provider())
    for username in ("demo_evaluator", "demo_partner", "demo_sysadmin"):
        with pytest.raises(RuleError) as error:
            svc.class_create(actor=user(username), values=values)
        assert error.value.code == "not_allowed"
    assert not TrainingClass.objects.exists()
