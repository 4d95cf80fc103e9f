"""The region tree and the one resolver."""

from __future__ import annotations

import pytest
from django.conf import settings

from skillplan.core.errors import RuleError
from skillplan.regions.models import Region
from skillplan.regions.selectors import region_resolve
from skillplan.regions.services import regions_load

pytestmark = pytest.mark.django_db


def test_hunan_has_14_cities_and_134_county_units():
    hunan = Region.objects.get(code="43")
    assert hunan.children.count() == 14
    assert Region.objects.filter(level="county", code__startswith="43").count() == 134
    assert Region.objects.get(code="430102").parent.code == "4301"
    assert Region.objects.get(code="430102001").parent.code == "430102"


@pytest.mark.parametrize("text", ["430102", "芙蓉区", "长沙市芙蓉区", "湖南省长沙市芙蓉区",
                                  " 芙蓉区 ", "430102.0", "４３０１０２"])
def test_code_name_and_city_plus_name_resolve_to_the_same_county(text):
    assert region_resolve(text).code == "430102"


def test_unknown_region_is_a_clear_rule_error():
    with pytest.raises(RuleError) as error:
        region_resolve("不存在区")
    assert error.value.code == "region_unknown"


def test_a_city_code_is_not_a_county():
    with pytest.raises(RuleError) as error:
        region_resolve("4301")
    assert error.value.code == "region_unknown"
    assert region_resolve("4301", level="city").name == "长沙市"


def test_full_names_read_city_then_county():
    assert Region.objects.get(code="430102").full_name == "长沙市芙蓉区"
    assert Region.objects.get(code="433101").full_name == "湘西土家族苗族自治州吉首市"


def test_loading_twice_changes_nothing(tmp_path):
    result = regions_load(path=settings.SKILLPLAN_REGIONS_FILE)
    assert (result.created, result.updated, result.retired) == (0, 0, 0)


def test_a_unit_dropped_from_the_file_is_retired_not_deleted(tmp_path):
    source = settings.SKILLPLAN_REGIONS_FILE.read_text(encoding="utf-8").splitlines()
    kept = [line for line in source if not line.startswith("430102001,")]
    changed = tmp_path / "divisions.csv"
    changed.write_text("\n".join(kept) + "\n", encoding="utf-8")
    result = regions_load(path=changed)
    assert result.retired == 1
    retired = Region.objects.get(code="430102001")
    assert retired.valid_to is not None
    with pytest.raises(RuleError):
        region_resolve("430102001", level="township")
