"""A catalog import explains impossible numbers row by row (NaN, infinity, absurdly long
numbers) instead of failing the whole check."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from skillplan.accounts.models import User
from skillplan.catalog.imports import ProjectsTemplate
from skillplan.catalog.models import TrainingProject
from skillplan.catalog.rules import check_project
from skillplan.core.imports.engine import run_import
from tests.catalog.conftest import project_values
from tests.catalog.test_import_export import GOOD, _workbook

pytestmark = pytest.mark.django_db


def _row(name: str, *, days: object = 15, hours: object = 120, fee: object = 1800) -> list:
    row = list(GOOD[1])
    row[0], row[5], row[6], row[8] = name, days, hours, fee
    return row


@pytest.mark.parametrize("fee", [Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"),
                                 Decimal("-Infinity"), Decimal("1E+400")])
def test_a_fee_that_is_not_a_finite_amount_is_a_problem_of_the_fee(fee: Decimal) -> None:
    problems = check_project(project_values(fee_standard=fee))
    assert [(p.field, p.code) for p in problems] == [("fee_standard", "fee_invalid")]


def test_rows_with_impossible_numbers_are_rejected_and_the_others_imported(
        tmp_path: Path, persona: Callable[[str], User]) -> None:
    rows = [
        _row("好的一行", days=7, hours=42, fee=400),
        _row("费用NaN", fee="NaN"),
        _row("费用无穷", fee="Infinity"),
        _row("费用太大", fee="1e400"),
        _row("天数太长", days="9" * 5000),
        _row("课时太长", days=7, hours="9" * 30),
        _row("上标数字", days="²"),
    ]
    result = run_import(ProjectsTemplate(), _workbook(tmp_path / "n.xlsx", rows),
                        actor=persona("demo_city_changsha"))

    assert (result.created, result.rejected) == (1, 6), result.errors
    errors = {(error.row, error.code) for error in result.errors}
    assert {(3, "fee_invalid"), (4, "fee_invalid"), (5, "fee_invalid"), (6, "days_invalid"),
            (7, "hours_invalid"), (8, "days_invalid")} <= errors
    assert list(TrainingProject.objects.values_list("name", flat=True)) == ["好的一行"]
