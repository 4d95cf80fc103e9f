"""The demo catalog: deterministic, idempotent, every status, brand projects for half the
cities, and importable through ``import_data projects``."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from skillplan.accounts.models import User
from skillplan.catalog.demo import seed_catalog
from skillplan.catalog.imports import projects_template_file
from skillplan.catalog.models import BrandProject, TrainingProject

pytestmark = pytest.mark.django_db


def test_seed_catalog_is_idempotent_and_covers_every_status() -> None:
    assert seed_catalog() == 30
    assert seed_catalog() == 0
    statuses = set(TrainingProject.objects.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "returned", "published", "withdrawn"}
    assert TrainingProject.objects.exclude(new_economy="").count() >= 4
    assert BrandProject.objects.count() == 7
    for project in TrainingProject.objects.filter(status="published"):
        assert project.published_by_id != project.submitted_by_id or project.submitted_by_id \
            is None


def test_import_data_command_knows_the_projects_kind(tmp_path: Path,
                                                     persona: Callable[[str], User]) -> None:
    path = tmp_path / "t.xlsx"
    projects_template_file(path)
    out = StringIO()
    call_command("import_data", "projects", str(path), "--user", "demo_city_changsha",
                 "--json", stdout=out)
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert (result["kind"], result["created"]) == ("projects", 1)
    assert TrainingProject.objects.get().status == "draft"
