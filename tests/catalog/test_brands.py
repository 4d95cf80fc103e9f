"""Brand projects: one per city per two-year period, chosen by that city (or the province);
the overview names the cities without one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from skillplan.accounts.models import User
from skillplan.catalog import services
from skillplan.catalog.models import BrandProject, TrainingProject
from skillplan.catalog.rules import brand_period
from skillplan.core.errors import RuleError
from skillplan.regions.models import Region

pytestmark = pytest.mark.django_db


def test_second_brand_for_the_same_city_and_period_is_refused_with_the_first_named(
        make_project: Callable[..., TrainingProject], persona: Callable[[str], User]) -> None:
    clerk = persona("demo_city_changsha")
    first = make_project("4301", "published", name="电商客服专项技能培训")
    second = make_project("4301", "published", name="面点师培训")
    changsha = Region.objects.get(code="4301")
    brand = services.brand_designate(actor=clerk, project=first, city=changsha)
    start, end = brand_period(timezone.localdate().year)
    assert (brand.period_start, brand.period_end) == (start, end)

    with pytest.raises(RuleError) as error:
        services.brand_designate(actor=persona("demo_province"), project=second, city=changsha)

    assert error.value.code == "brand_exists"
    assert first.code in str(error.value) and f"{start}–{end}" in str(error.value)
    assert list(BrandProject.objects.filter(city_code="4301").values_list("project", flat=True)
                ) == [first.pk]
    # The next period is a new choice.
    services.brand_designate(actor=clerk, project=second, city=changsha, year=end + 1)


def test_database_refuses_two_brands_for_one_city_and_period(
        make_project: Callable[..., TrainingProject]) -> None:
    project = make_project("4301", "published")
    changsha = Region.objects.get(code="4301")
    fields = {"project": project, "city": changsha, "city_code": "4301", "period_start": 2024,
              "period_end": 2025, "designated_at": timezone.now()}
    BrandProject.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        BrandProject.objects.create(**fields)


def test_city_clerk_chooses_only_for_their_city_province_for_any(
        make_project: Callable[..., TrainingProject], persona: Callable[[str], User]) -> None:
    province_wide = make_project("43", "published", name="全省项目")
    xiangxi = Region.objects.get(code="4331")
    with pytest.raises(RuleError) as error:
        services.brand_designate(actor=persona("demo_city_changsha"), project=province_wide,
                                 city=xiangxi)
    assert error.value.code == "city_out_of_scope"
    assert not BrandProject.objects.exists()
    services.brand_designate(actor=persona("demo_province"), project=province_wide, city=xiangxi)
    assert BrandProject.objects.get().city_code == "4331"


def test_only_a_published_project_of_the_city_can_be_its_brand(
        make_project: Callable[..., TrainingProject], persona: Callable[[str], User]) -> None:
    province = persona("demo_province")
    with pytest.raises(RuleError) as error:
        services.brand_designate(actor=province, project=make_project("4301"),
                                 city=Region.objects.get(code="4301"))
    assert error.value.code == "project_not_published"
    with pytest.raises(RuleError) as error:
        services.brand_designate(actor=province, project=make_project("4331", "published"),
                                 city=Region.objects.get(code="4301"))
    assert error.value.code == "project_other_city"


def test_overview_flags_cities_without_a_brand_project(
        make_project: Callable[..., TrainingProject], persona: Callable[[str], User],
        client_for: Callable[[str], Client]) -> None:
    project = make_project("4301", "published", name="电商客服专项技能培训")
    services.brand_designate(actor=persona("demo_city_changsha"), project=project,
                             city=project.region)

    page = client_for("demo_city_xiangxi").get(reverse("catalog:brands")).content.decode()

    assert "电商客服专项技能培训" in page
    assert "13 cities have no brand project for this period" in page
    assert "湘西土家族苗族自治州" in page and "None yet" in page
    assert "New-economy projects" in page


def test_brand_page_form_refuses_a_second_brand_clearly(
        make_project: Callable[..., TrainingProject], persona: Callable[[str], User],
        client_for: Callable[[str], Client]) -> None:
    first = make_project("4301", "published", name="第一个")
    second = make_project("4301", "published", name="第二个")
    services.brand_designate(actor=persona("demo_province"), project=first, city=first.region)

    response = client_for("demo_city_changsha").post(reverse("catalog:brand_designate"), {
        "city": "4301", "project": str(second.pk)})

    assert response.status_code == 200
    assert "already has a brand project" in response.content.decode()
    assert BrandProject.objects.get().project == first


def test_brand_removal_needs_a_reason_and_the_right_city(
        make_project: Callable[..., TrainingProject], persona: Callable[[str], User],
        client_for: Callable[[str], Client]) -> None:
    project = make_project("4301", "published")
    brand = services.brand_designate(actor=persona("demo_province"), project=project,
                                     city=project.region)
    url = reverse("catalog:brand_remove", args=[brand.pk])
    assert client_for("demo_city_xiangxi").post(url, {"reason": "x y"}).status_code == 404
    client_for("demo_city_changsha").post(url, {"reason": ""})
    assert BrandProject.objects.filter(pk=brand.pk).exists()
    client_for("demo_city_changsha").post(url, {"reason": "改选其他项目"})
    assert not BrandProject.objects.filter(pk=brand.pk).exists()
