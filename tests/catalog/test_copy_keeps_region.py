"""A new version (copy) of a published project keeps its region, and publishing it never moves
a city's brand project to a project of another city."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from skillplan.accounts.models import User
from skillplan.catalog import services
from skillplan.catalog.models import BrandProject, TrainingProject
from skillplan.regions.models import Region
from tests.catalog.conftest import project_values

pytestmark = pytest.mark.django_db


def test_a_copy_cannot_move_to_another_city(
        persona: Callable[[str], User], make_project: Callable[..., TrainingProject]) -> None:
    original = make_project("4301", "published")
    province = persona("demo_province")
    copy = services.project_copy(actor=province, project=original)

    with pytest.raises(services.ProjectInvalid) as refused:
        services.project_update(actor=province, project=copy,
                                values=project_values("4331"), expected_version=copy.version)

    assert [problem.field for problem in refused.value.problems] == ["region"]
    assert refused.value.code == "copy_region_fixed"
    copy.refresh_from_db()
    assert copy.region_code == "4301" and copy.version == 1


def test_publishing_a_copy_of_another_city_leaves_the_brand_where_it_was(
        persona: Callable[[str], User], reviewer: User,
        make_project: Callable[..., TrainingProject]) -> None:
    province = persona("demo_province")
    original = make_project("4301", "published")
    brand = services.brand_designate(actor=province, project=original,
                                     city=Region.objects.get(code="4301"))
    copy = services.project_copy(actor=province, project=original)
    # A copy moved to another city before copies kept their region (older data).
    TrainingProject.objects.filter(pk=copy.pk).update(
        region=Region.objects.get(code="4331"), region_code="4331")
    services.project_submit(actor=province, project=copy)

    services.project_publish(actor=reviewer, project=copy)

    brand.refresh_from_db()
    assert brand.project_id == original.pk and brand.city_code == "4301"
    assert not BrandProject.objects.filter(project=copy).exists()


def test_publishing_a_copy_of_the_same_city_moves_its_brand(
        persona: Callable[[str], User], reviewer: User,
        make_project: Callable[..., TrainingProject]) -> None:
    province = persona("demo_province")
    original = make_project("4301", "published")
    brand = services.brand_designate(actor=province, project=original,
                                     city=Region.objects.get(code="4301"))
    copy = services.project_copy(actor=province, project=original)
    services.project_submit(actor=province, project=copy)

    services.project_publish(actor=reviewer, project=copy)

    brand.refresh_from_db()
    assert brand.project_id == copy.pk
