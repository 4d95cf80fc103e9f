"""The providers import refuses an impossible capacity on its own column, row by row; a
duplicate credit code names the other provider only to a clerk who can act on it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from skillplan.accounts.models import User
from skillplan.core.credit_code import make_credit_code
from skillplan.core.errors import RuleError
from skillplan.providers import services
from skillplan.providers.models import Provider
from skillplan.regions.models import Region
from tests.providers.test_import_export import _import, _write

pytestmark = pytest.mark.django_db


def _row(name: str, number: int, capacity: object) -> list[object]:
    code = make_credit_code(f"52430102MA4L{number:05d}")
    return [name, code, "职业培训机构", "芙蓉区", "", "", "", capacity, ""]


@pytest.mark.parametrize("capacity", ["99999999999999999999", "9" * 5000, "100001", "²"])
def test_an_impossible_capacity_is_rejected_on_the_capacity_column(
        tmp_path: Path, persona: Callable[[str], User], capacity: str) -> None:
    path = _write(tmp_path / "p.xlsx", [_row("容量好的", 77701, 60),
                                        _row("容量不对", 77702, capacity)])

    result = _import(path, persona("demo_city_changsha"))

    assert (result.created, result.rejected) == (1, 1), result.errors
    error = result.errors[0]
    assert error.column == "容纳人数"
    assert error.code in ("capacity_range", "capacity_format")
    assert "trainees at a time" in error.message
    assert not Provider.objects.filter(name="容量不对").exists()


def test_largest_capacity_is_accepted(tmp_path: Path, persona: Callable[[str], User]) -> None:
    result = _import(_write(tmp_path / "p.xlsx", [_row("大机构", 77703, "100000")]),
                     persona("demo_city_changsha"))
    assert result.created == 1
    assert Provider.objects.get(name="大机构").capacity == 100000


def _register(actor: User, county: str, code: str) -> Provider:
    return services.provider_create(actor=actor, values=services.ProviderValues(
        Region.objects.get(code=county), {"name": "另一家机构", "credit_code": code,
                                          "kind": "training_institution"}))


def test_duplicate_credit_code_does_not_name_a_provider_outside_the_clerks_area(
        persona: Callable[[str], User]) -> None:
    existing = persona("demo_provider").provider  # 芙蓉区, 长沙
    before = Provider.objects.count()

    with pytest.raises(RuleError) as refused:
        _register(persona("demo_city_xiangxi"), "433101", existing.credit_code)

    assert refused.value.code == "credit_code_exists"
    assert existing.name not in str(refused.value)
    assert "outside your area" in str(refused.value)
    assert Provider.objects.count() == before

    with pytest.raises(RuleError) as named:
        _register(persona("demo_city_changsha"), "430103", existing.credit_code)
    assert existing.name in str(named.value)
    assert Provider.objects.count() == before
