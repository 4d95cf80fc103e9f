"""The rules of a project: sub-type against type, occupation code shape, hours against days,
the employer of order-based training, new-economy detection and the brand periods."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from skillplan.catalog.models import TrainingProject
from skillplan.catalog.rules import (
    brand_period,
    check_project,
    detect_new_economy,
    normalise_occupation_code,
)
from skillplan.core.errors import RuleError
from tests.catalog.conftest import project_values

pytestmark = pytest.mark.django_db


def _codes(**overrides: object) -> set[str]:
    return {problem.code for problem in check_project(project_values(**overrides))}


def test_valid_project_has_no_problems() -> None:
    assert _codes() == set()


@pytest.mark.parametrize(("training_type", "sub_type"), [
    ("employment", "ict"), ("employment", "order_based"), ("rural", "processing"),
    ("special", "beauty_workshop"), ("on_the_job", "job_transfer"),
    ("entrepreneurship", "startup_ecommerce"), ("massage", ""), ("employer", ""),
])
def test_sub_type_that_belongs_to_the_type_is_accepted(training_type: str,
                                                        sub_type: str) -> None:
    extra = {"employer_name": "某某公司"} if sub_type == "order_based" else {}
    assert _codes(training_type=training_type, sub_type=sub_type, **extra) == set()


@pytest.mark.parametrize(("training_type", "sub_type", "code"), [
    ("employment", "planting", "sub_type_invalid"),
    ("rural", "ict", "sub_type_invalid"),
    ("on_the_job", "", "sub_type_invalid"),
    ("massage", "pre_job", "sub_type_not_allowed"),
    ("nonsense", "", "type_invalid"),
])
def test_sub_type_of_another_type_is_refused(training_type: str, sub_type: str,
                                             code: str) -> None:
    assert code in _codes(training_type=training_type, sub_type=sub_type)


def test_order_based_training_names_its_employer_and_only_it_does() -> None:
    assert "employer_required" in _codes(sub_type="order_based")
    assert "employer_not_allowed" in _codes(employer_name="某某公司")


@pytest.mark.parametrize("raw", ["4-02-02-01", "4－02－02－01", " 6-18-01-01 ", "4 02 02 01"])
def test_occupation_code_in_2022_classification_form_is_accepted(raw: str) -> None:
    assert len(normalise_occupation_code(raw)) == 10


@pytest.mark.parametrize("raw", ["40202-01", "4-2-02-01", "9-02-02-01", "4-02-02", "X-02-02-01",
                                 "4-02-02-011"])
def test_occupation_code_of_another_shape_is_refused(raw: str) -> None:
    with pytest.raises(RuleError) as error:
        normalise_occupation_code(raw)
    assert error.value.code == "occupation_code_format"
    assert "occupation_code_format" in _codes(occupation_code=raw)


def test_occupation_code_is_required_for_employment_but_optional_for_rural() -> None:
    assert "occupation_code_required" in _codes(occupation_code="", occupation_name="")
    assert _codes(training_type="rural", sub_type="planting", occupation_code="",
                  occupation_name="") == set()


def test_hours_must_fit_in_the_days() -> None:
    assert _codes(days=10, hours=80) == set()
    assert "hours_too_many" in _codes(days=10, hours=81)
    assert "days_invalid" in _codes(days=0)
    assert "hours_invalid" in _codes(hours=0)


def test_fee_and_categories_are_checked() -> None:
    assert "fee_invalid" in _codes(fee_standard=-1)
    assert "categories_required" in _codes(categories=[])
    assert "categories_required" in _codes(categories=["9"])


@pytest.mark.parametrize(("name", "sub_type", "kind"), [
    ("电商客服专项技能培训", "services", "ecommerce_service"),
    ("网店美工设计", "ict", "ecommerce_design"),
    ("电商运营实务", "services", "ecommerce_operations"),
    ("网络直播营销", "startup_new_media", "live_streaming"),
    ("创业提升", "startup_ecommerce", "ecommerce_operations"),
    ("中式面点师", "services", ""),
    ("呼叫中心客服", "services", ""),
])
def test_new_economy_projects_are_flagged_from_name_or_sub_type(
        name: str, sub_type: str, kind: str) -> None:
    assert detect_new_economy(name, sub_type) == kind


def test_new_economy_flag_can_be_set_by_hand() -> None:
    values = project_values(name="电商客服", new_economy="")
    check_project(values)
    assert values.new_economy == ""
    values = project_values(name="电商客服")
    values.new_economy = None
    check_project(values)
    assert values.new_economy == "ecommerce_service"


@pytest.mark.parametrize(("year", "period"), [
    (2022, (2022, 2023)), (2023, (2022, 2023)), (2024, (2024, 2025)), (2025, (2024, 2025)),
    (2026, (2026, 2027)),
])
def test_brand_periods_are_two_years_from_2022(year: int, period: tuple[int, int]) -> None:
    assert brand_period(year) == period


def test_brand_period_length_is_configurable(settings: object) -> None:
    settings.SKILLPLAN_BRAND_FIRST_YEAR = 2021  # type: ignore[attr-defined]
    settings.SKILLPLAN_BRAND_PERIOD_YEARS = 3  # type: ignore[attr-defined]
    assert brand_period(2025) == (2024, 2026)


def test_form_puts_each_problem_on_its_field_and_saves_nothing(
        client_for: Callable[[str], Client]) -> None:
    response = client_for("demo_city_changsha").post(reverse("catalog:create"), {
        "name": "种植培训", "training_type": "employment", "sub_type": "planting",
        "occupation_code": "4020201", "occupation_name": "x", "days": "2", "hours": "40",
        "delivery": "offline", "fee_standard": "100", "categories": ["4"], "region": "4301"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "For Employment skills training" in page
    assert "such as 4-02-02-01" in page
    assert "40 class hours do not fit in 2 days" in page
    assert not TrainingProject.objects.filter(name="种植培训").exists()
