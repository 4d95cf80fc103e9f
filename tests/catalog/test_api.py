"""The public catalog API: no token needed, published projects only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from skillplan.accounts.models import User
from skillplan.accounts.tokens import token_create
from skillplan.catalog import services
from skillplan.catalog.models import TrainingProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(make_project: Callable[..., TrainingProject]) -> dict[str, TrainingProject]:
    return {
        "published": make_project("4301", "published", name="公开项目"),
        "draft": make_project("4301", name="草稿项目"),
        "submitted": make_project("4331", "submitted", name="待审项目"),
        "withdrawn": make_project("4301", "withdrawn", name="撤回项目"),
    }


def test_list_without_a_token_holds_published_projects_only(
        projects: dict[str, TrainingProject]) -> None:
    response = Client().get("/api/v1/catalog/projects")
    assert response.status_code == 200
    body = response.json()
    assert [item["name"] for item in body["items"]] == ["公开项目"]
    item = body["items"][0]
    assert item["code"] == projects["published"].code
    assert item["categories"] == [{"code": "2", "label": "Hearing"},
                                  {"code": "4", "label": "Physical"}]
    assert item["published_at"]


def test_list_with_a_token_is_the_same_public_list(projects: dict[str, TrainingProject],
                                                   persona: Callable[[str], User]) -> None:
    raw = token_create(user=persona("demo_province"), name="t")
    response = Client().get("/api/v1/catalog/projects",
                            HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert [item["name"] for item in response.json()["items"]] == ["公开项目"]


@pytest.mark.parametrize("key", ["draft", "submitted", "withdrawn"])
def test_detail_of_an_unpublished_project_is_404(projects: dict[str, TrainingProject],
                                                 key: str) -> None:
    response = Client().get(f"/api/v1/catalog/projects/{projects[key].pk}")
    assert response.status_code == 404


def test_detail_of_a_published_project(projects: dict[str, TrainingProject]) -> None:
    response = Client().get(f"/api/v1/catalog/projects/{projects['published'].pk}")
    assert response.status_code == 200
    assert response.json()["occupation_code"] == "4-03-02-02"


def test_filters_and_brands(projects: dict[str, TrainingProject],
                            persona: Callable[[str], User]) -> None:
    client = Client()
    assert client.get("/api/v1/catalog/projects?city=4331").json()["items"] == []
    assert len(client.get("/api/v1/catalog/projects?city=4301").json()["items"]) == 1
    project = projects["published"]
    services.brand_designate(actor=persona("demo_city_changsha"), project=project,
                             city=project.region)
    brands = client.get("/api/v1/catalog/brands").json()
    assert len(brands) == 14
    changsha = next(row for row in brands if row["city_code"] == "4301")
    assert changsha["project"]["code"] == project.code
    assert all(row["project"] is None for row in brands if row["city_code"] != "4301")
