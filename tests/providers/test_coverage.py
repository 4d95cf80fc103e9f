"""The coverage view: every city of the province with its accredited bases by level, and the
cities without one named in words (checked by hand against the demo data)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from skillplan.providers.demo import seed_providers
from skillplan.providers.models import TrainingBase
from skillplan.providers.selectors import cities_without_base, coverage

pytestmark = pytest.mark.django_db
HUNAN_CITIES = ["长沙市", "株洲市", "湘潭市", "衡阳市", "邵阳市", "岳阳市", "常德市", "张家界市",
                "益阳市", "郴州市", "永州市", "怀化市", "娄底市", "湘西土家族苗族自治州"]
# The demo: 邵阳 withdrawn, 张家界 never applied, 益阳 returned, 永州 refused.
UNCOVERED = ["邵阳市", "张家界市", "益阳市", "永州市"]


@pytest.fixture
def demo() -> None:
    seed_providers()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_coverage_lists_every_city_and_names_those_without_a_base(
    demo: None, client_for: Callable[[str], Client],
) -> None:
    rows = coverage(user=None)
    assert [row.name for row in rows] == HUNAN_CITIES
    assert [row.name for row in cities_without_base(rows)] == UNCOVERED
    changsha = rows[0]
    assert changsha.counts == {"national": 1, "provincial": 1}
    assert changsha.names["national"] == ["湖南省残疾人职业技能培训中心残疾人职业培训基地"]
    yueyang = next(row for row in rows if row.name == "岳阳市")
    assert yueyang.counts == {"provincial": 1}  # raised from city level after its evaluation

    page = client_for("demo_province").get(reverse("providers:coverage"))
    text = _text(page.content.decode())
    assert "4 cities have no accredited base: 邵阳市、张家界市、益阳市、永州市" in text
    for city in HUNAN_CITIES:
        assert city in text
    # The flag is words in the table too, not a colour.
    assert text.count("No accredited base") == len(UNCOVERED)
    assert text.count("Met") == len(HUNAN_CITIES) - len(UNCOVERED)


def test_city_clerk_sees_their_own_city_only(
    demo: None, client_for: Callable[[str], Client],
) -> None:
    text = _text(client_for("demo_city_xiangxi").get(reverse("providers:coverage")).content
                 .decode())
    assert "湘西土家族苗族自治州" in text and "长沙市" not in text
    assert "湘西州特殊教育学校残疾人职业培训基地" in text


def test_a_base_whose_validity_ended_no_longer_covers_its_city(demo: None) -> None:
    TrainingBase.objects.filter(provider__name="株洲市工贸技工学校").update(
        valid_until=date(2020, 12, 31))
    assert "株洲市" in [row.name for row in cities_without_base(coverage(user=None))]


def test_coverage_page_costs_a_fixed_number_of_queries(
    demo: None, client_for: Callable[[str], Client], django_assert_max_num_queries,
) -> None:
    client = client_for("demo_province")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("providers:coverage")).status_code == 200


def test_seeding_twice_changes_nothing(demo: None) -> None:
    assert seed_providers() == {"providers": 0, "bases": 0}
