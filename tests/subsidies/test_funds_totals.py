"""Fund views add up to the figures done by hand, and stay inside the reader's area."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from skillplan.subsidies.selectors_funds import (
    FundFilters,
    by_provider,
    by_region,
    class_funds,
    item_level_by_region,
    item_level_total,
    total_of,
)
from tests.subsidies.funds_support import D, TwoCities, funds_english, funds_files, funds_hooks
from tests.subsidies.funds_support import two_cities as make_two_cities

pytestmark = pytest.mark.django_db
__all__ = ["funds_english", "funds_files", "funds_hooks"]


@pytest.fixture
def world() -> TwoCities:
    return make_two_cities()


def _filters(world: TwoCities, **kwargs: object) -> FundFilters:
    return FundFilters(year=world.a.start_date.year, **kwargs)  # type: ignore[arg-type]


def test_class_figures_match_the_hand_sums(world: TwoCities, persona: Callable) -> None:
    rows = {row.pk: row.figures for row in class_funds(user=persona("demo_province"),
                                                         filters=_filters(world))}
    a, b = rows[world.a.pk], rows[world.b.pk]
    # budget 30,000; computed 3,600 + 3,600 + 1,200 (the void 999 left out)
    assert (a.budget, a.computed, a.claimed, a.approved, a.paid) == (
        D("30000"), D("8400"), D("7200"), D("7200"), D("7200"))
    assert (b.budget, b.computed, b.claimed, b.approved, b.paid) == (
        D("30000"), D("2500"), D("2500"), D("0"), D("0"))


def test_province_total_covers_both_cities(world: TwoCities, persona: Callable) -> None:
    total = total_of(class_funds(user=persona("demo_province"), filters=_filters(world)))
    assert (total.budget, total.computed, total.claimed, total.approved, total.paid) == (
        D("60000"), D("10900"), D("9700"), D("7200"), D("7200"))


def test_changsha_clerk_never_sees_xiangxi_figures(world: TwoCities,
                                                   persona: Callable) -> None:
    clerk = persona("demo_city_changsha")
    rows = class_funds(user=clerk, filters=_filters(world))
    assert [row.pk for row in rows] == [world.a.pk]
    assert total_of(rows).computed == D("8400")
    levels = item_level_by_region(user=clerk, filters=_filters(world))
    assert [row.key for row in levels] == ["430102"]  # the counties of 长沙, only 芙蓉区
    # asking for 湘西 explicitly gives nothing either
    assert class_funds(user=clerk, filters=_filters(world, city="4331")) == []
    assert item_level_by_region(user=clerk, filters=_filters(world, city="4331")) == []


def test_provider_sees_only_its_own_classes(world: TwoCities, persona: Callable) -> None:
    rows = class_funds(user=persona("demo_provider_xiangxi"), filters=_filters(world))
    assert [row.pk for row in rows] == [world.b.pk]


def test_by_provider_and_by_region(world: TwoCities, persona: Callable) -> None:
    rows = class_funds(user=persona("demo_province"), filters=_filters(world))
    providers = {group.key: group for group in by_provider(rows)}
    assert providers[str(world.a.provider_id)].figures.paid == D("7200")
    assert providers[str(world.b.provider_id)].figures.claimed == D("2500")
    regions = {group.key: group for group in by_region(rows, depth=4)}
    assert set(regions) == {"4301", "4331"}
    assert regions["4301"].label == "长沙市"
    assert (regions["4331"].classes, regions["4331"].figures.computed) == (1, D("2500"))


def test_item_and_paying_level_by_city(world: TwoCities, persona: Callable) -> None:
    rows = {row.key: row for row in item_level_by_region(user=persona("demo_province"),
                                                         filters=_filters(world))}
    changsha, xiangxi = rows["4301"], rows["4331"]
    assert changsha.items["training_fee"] == D("7200")
    assert changsha.items["living"] == D("1200")
    assert changsha.total == D("8400")
    assert changsha.shares == {"province": D("4320"), "city": D("4080"), "county": D("0")}
    assert changsha.paid == {"province": D("4320"), "city": D("2880"), "county": D("0")}
    assert xiangxi.shares["province"] == D("1500")
    assert xiangxi.paid_total == D("0")
    total = item_level_total(rows.values())
    assert (total.total, total.paid_total) == (D("10900"), D("7200"))


def test_a_city_chosen_shows_its_counties(world: TwoCities, persona: Callable) -> None:
    rows = item_level_by_region(user=persona("demo_province"),
                                filters=_filters(world, city="4331"))
    assert [(row.key, row.total) for row in rows] == [("433101", D("2500"))]


def test_pages_show_formatted_totals_in_scope(world: TwoCities,
                                              client_for: Callable[[str], Client]) -> None:
    year = world.a.start_date.year
    province = client_for("demo_province")
    for name in ("subsidies:funds_classes", "subsidies:funds_providers",
                 "subsidies:funds_regions"):
        response = province.get(reverse(name), {"year": year})
        assert response.status_code == 200
        assert b"10,900.00" in response.content, name
        assert b"<caption" in response.content
    page = province.get(reverse("subsidies:funds_classes"), {"year": year}).content.decode()
    assert world.b.code in page and reverse("training:detail", args=[world.a.pk]) in page
    changsha = client_for("demo_city_changsha")
    for name in ("subsidies:funds_classes", "subsidies:funds_providers",
                 "subsidies:funds_regions"):
        content = changsha.get(reverse(name), {"year": year}).content.decode()
        assert "8,400.00" in content, name
        assert world.b.code not in content and "2,500.00" not in content, name
        assert "10,900.00" not in content and "吉首" not in content, name


def test_pages_refuse_those_without_subsidy_access(client_for: Callable[[str], Client]) -> None:
    for persona in ("demo_evaluator", "demo_partner", "demo_trainee", "demo_auditor"):
        response = client_for(persona).get(reverse("subsidies:funds_classes"))
        assert response.status_code == 403, persona


def test_fund_pages_keep_to_a_query_budget(world: TwoCities,
                                           client_for: Callable[[str], Client],
                                           django_assert_max_num_queries: Callable) -> None:
    client = client_for("demo_province")
    year = world.a.start_date.year
    client.get(reverse("subsidies:funds_regions"), {"year": year})  # warm caches
    for _number in range(3):  # more classes do not mean more queries
        make_two_cities()
    for name in ("subsidies:funds_classes", "subsidies:funds_providers",
                 "subsidies:funds_regions"):
        with django_assert_max_num_queries(14):
            response = client.get(reverse(name), {"year": year})
        assert response.status_code == 200
