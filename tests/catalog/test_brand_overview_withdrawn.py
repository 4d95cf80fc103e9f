"""The staff brand overview counts a city whose brand project was withdrawn as missing one; the
public brands API costs the same few queries however many brands there are."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from skillplan.accounts.models import User
from skillplan.catalog import services
from skillplan.catalog.models import TrainingProject
from skillplan.regions.models import Region

pytestmark = pytest.mark.django_db


def test_city_whose_brand_project_was_withdrawn_is_listed_as_missing(
        persona: Callable[[str], User], reviewer: User, client_for: Callable[[str], Client],
        make_project: Callable[..., TrainingProject]) -> None:
    project = make_project("4301", "published")
    changsha = Region.objects.get(code="4301")
    services.brand_designate(actor=persona("demo_province"), project=project, city=changsha)
    services.project_withdraw(actor=reviewer, project=project, reason="机构停办")

    response = client_for("demo_province").get(reverse("catalog:brands"))

    missing, withdrawn = response.context["missing"], response.context["withdrawn"]
    assert changsha in missing and changsha in withdrawn
    assert "Every city has a brand project" not in response.content.decode()
    assert "was withdrawn from the catalog" in response.content.decode()


def _brands_api_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/catalog/brands").status_code == 200
    return len(queries)


def test_brands_api_does_not_query_once_per_brand(
        persona: Callable[[str], User], make_project: Callable[..., TrainingProject],
        django_assert_max_num_queries: Any) -> None:
    province = persona("demo_province")
    provider = persona("demo_provider").provider
    client = Client()
    cities = list(Region.objects.filter(code__in=["4301", "4302", "4303"]).order_by("code"))
    project = make_project("43", "published", name="全省项目0", providers=[provider])
    services.brand_designate(actor=province, project=project, city=cities[0])
    one = _brands_api_queries(client)
    for number, city in enumerate(cities[1:], start=1):
        project = make_project("43", "published", name=f"全省项目{number}",
                               providers=[provider])
        services.brand_designate(actor=province, project=project, city=city)

    assert _brands_api_queries(client) == one
    with django_assert_max_num_queries(6):
        client.get("/api/v1/catalog/brands")
