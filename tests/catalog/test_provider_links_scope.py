"""The providers allowed to run a project: a city clerk names providers of their own area only
(pages, services and import alike), and never silently drops links the province made."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from skillplan.accounts.models import User
from skillplan.catalog import services
from skillplan.catalog.forms import initial_of
from skillplan.catalog.imports import ProjectsTemplate
from skillplan.catalog.models import TrainingProject
from skillplan.core.imports.engine import run_import
from skillplan.providers.models import Provider
from tests.catalog.conftest import project_values
from tests.catalog.test_import_export import GOOD, _workbook

pytestmark = pytest.mark.django_db


def _xiangxi_provider(persona: Callable[[str], User]) -> Provider:
    return persona("demo_provider_xiangxi").provider


def _changsha_provider(persona: Callable[[str], User]) -> Provider:
    return persona("demo_provider").provider


def test_city_clerk_cannot_link_a_provider_of_another_city(
        persona: Callable[[str], User]) -> None:
    clerk = persona("demo_city_changsha")
    values = project_values("4301", providers=[_xiangxi_provider(persona)])

    with pytest.raises(services.ProjectInvalid) as refused:
        services.project_create(actor=clerk, values=values)

    assert refused.value.code == "provider_out_of_scope"
    assert refused.value.problems[0].field == "providers"
    assert not TrainingProject.objects.exists()


def test_city_clerk_cannot_add_an_out_of_area_provider_to_a_draft(
        persona: Callable[[str], User], make_project: Callable[..., TrainingProject]) -> None:
    project = make_project("4301")
    with pytest.raises(services.ProjectInvalid):
        services.project_update(
            actor=persona("demo_city_changsha"), project=project,
            values=project_values("4301", providers=[_xiangxi_provider(persona)]),
            expected_version=project.version)
    project.refresh_from_db()
    assert project.version == 1 and not project.providers.exists()


def test_city_clerk_saving_the_form_keeps_the_provinces_out_of_area_link(
        persona: Callable[[str], User], client_for: Callable[[str], Client],
        make_project: Callable[..., TrainingProject]) -> None:
    project = make_project("4301")
    xiangxi, changsha = _xiangxi_provider(persona), _changsha_provider(persona)
    services.project_update(actor=persona("demo_province"), project=project,
                            values=project_values("4301", providers=[xiangxi]),
                            expected_version=project.version)
    project.refresh_from_db()
    data = {key: value for key, value in initial_of(project).items() if value is not None}
    data.update({"summary": "市里补充的内容", "providers": [str(changsha.pk)],
                 "accommodations": data["accommodations"], "categories": data["categories"]})

    response = client_for("demo_city_changsha").post(
        reverse("catalog:edit", args=[project.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    project.refresh_from_db()
    assert project.summary == "市里补充的内容"
    assert set(project.providers.values_list("pk", flat=True)) == {xiangxi.pk, changsha.pk}


def test_import_only_finds_providers_of_the_importers_area(
        tmp_path: Path, persona: Callable[[str], User]) -> None:
    row = [*GOOD[0][:10], _xiangxi_provider(persona).credit_code, *GOOD[0][11:]]

    result = run_import(ProjectsTemplate(), _workbook(tmp_path / "p.xlsx", [row]),
                        actor=persona("demo_city_changsha"))

    assert (result.created, result.rejected) == (0, 1)
    assert result.errors[0].code == "provider_unknown"
    assert "in your area" in result.errors[0].message
    assert not TrainingProject.objects.exists()
