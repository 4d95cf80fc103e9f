"""Who sees and changes what: a city's drafts stay with that city (404 elsewhere), published
projects are visible to all staff, providers see the published projects they may run."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from skillplan.accounts.models import User
from skillplan.catalog import selectors, services
from skillplan.catalog.models import TrainingProject
from skillplan.core.credit_code import make_credit_code
from skillplan.providers.models import Provider
from tests.catalog.conftest import project_values

pytestmark = pytest.mark.django_db


def test_city_clerk_cannot_edit_or_submit_another_citys_draft(
        make_project: Callable[..., TrainingProject],
        client_for: Callable[[str], Client]) -> None:
    draft = make_project("4301", name="长沙草稿")
    client = client_for("demo_city_xiangxi")

    assert client.get(reverse("catalog:edit", args=[draft.pk])).status_code == 404
    assert client.post(reverse("catalog:edit", args=[draft.pk]),
                       {"name": "被改了", "version": draft.version}).status_code == 404
    assert client.post(reverse("catalog:submit", args=[draft.pk])).status_code == 404
    assert client.get(reverse("catalog:detail", args=[draft.pk])).status_code == 404

    draft.refresh_from_db()
    assert draft.name == "长沙草稿" and draft.status == "draft" and draft.version == 1


def test_city_clerk_cannot_prepare_a_project_for_another_city(
        persona: Callable[[str], User]) -> None:
    with pytest.raises(services.ProjectInvalid) as error:
        services.project_create(actor=persona("demo_city_xiangxi"),
                                values=project_values("4301"))
    assert error.value.problems[0].code == "region_out_of_scope"
    assert not TrainingProject.objects.filter(region_code="4301").exists()


def test_staff_see_their_own_drafts_and_everyones_published_projects(
        make_project: Callable[..., TrainingProject], persona: Callable[[str], User]) -> None:
    changsha_draft = make_project("4301", name="长沙草稿")
    changsha_published = make_project("4301", "published", name="长沙已发布")
    xiangxi_draft = make_project("4331", name="湘西草稿")

    seen = set(selectors.project_queryset(user=persona("demo_city_xiangxi")))
    assert changsha_published in seen and xiangxi_draft in seen
    assert changsha_draft not in seen
    county = set(selectors.project_queryset(user=persona("demo_county_furong")))
    assert changsha_published in county
    assert changsha_draft not in county and xiangxi_draft not in county
    assert {changsha_draft, changsha_published, xiangxi_draft} <= set(
        selectors.project_queryset(user=persona("demo_province")))


def test_provider_sees_only_published_projects_it_may_run(
        make_project: Callable[..., TrainingProject], persona: Callable[[str], User],
        client_for: Callable[[str], Client]) -> None:
    sunshine = Provider.objects.get(credit_code=make_credit_code("91430102MA4L00000"))
    runs = make_project("4301", "published", name="可承办", providers=[sunshine])
    not_named = make_project("4301", "published", name="未列入")
    draft = make_project("4301", name="草稿承办", providers=[sunshine])

    seen = list(selectors.project_queryset(user=persona("demo_provider")))
    assert seen == [runs]
    client = client_for("demo_provider")
    assert client.get(reverse("catalog:detail", args=[runs.pk])).status_code == 200
    assert client.get(reverse("catalog:detail", args=[not_named.pk])).status_code == 404
    assert client.get(reverse("catalog:detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("catalog:create")).status_code == 403


def test_trainee_has_no_staff_catalog(client_for: Callable[[str], Client]) -> None:
    assert client_for("demo_trainee").get(reverse("catalog:list")).status_code == 403


def test_list_filters_by_type_status_and_category_served(
        make_project: Callable[..., TrainingProject],
        client_for: Callable[[str], Client]) -> None:
    make_project("4301", name="面点师培训", categories=["4"])
    make_project("4301", "published", name="种植技术", training_type="rural",
                 sub_type="planting", occupation_code="", occupation_name="",
                 categories=["1"])
    client = client_for("demo_city_changsha")

    page = client.get(reverse("catalog:list"), {"training_type": "rural"}).content.decode()
    assert "种植技术" in page and "面点师培训" not in page
    page = client.get(reverse("catalog:list"), {"status": "draft"}).content.decode()
    assert "面点师培训" in page and "种植技术" not in page
    page = client.get(reverse("catalog:list"), {"category": "1"}).content.decode()
    assert "种植技术" in page and "面点师培训" not in page
