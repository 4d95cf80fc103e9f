"""Catalog tests: projects made through the services, a second province reviewer (maker and
checker must differ), files in a temporary FILES_DIR, messages read as their English msgids."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from pytest_django.fixtures import Settings

from skillplan.accounts.models import User
from skillplan.accounts.roles import Role
from skillplan.catalog import services
from skillplan.catalog.models import TrainingProject
from skillplan.catalog.rules import ProjectValues
from skillplan.regions.models import Region


@pytest.fixture(autouse=True)
def files_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.FILES_DIR = tmp_path / "files"
    return settings.FILES_DIR


@pytest.fixture(autouse=True)
def _english_messages(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def project_values(region: str = "4301", **overrides: Any) -> ProjectValues:
    values: dict[str, Any] = {
        "name": "面点师培训", "training_type": "employment", "sub_type": "services",
        "occupation_code": "4-03-02-02", "occupation_name": "中式面点师", "days": 20,
        "hours": 160, "delivery": "offline", "fee_standard": Decimal("1800"),
        "categories": ["2", "4"], "accommodations": 16,
        "region": Region.objects.get(code=region), "providers": [],
    }
    values.update(overrides)
    return ProjectValues(**values)


@pytest.fixture
def reviewer(db: Any) -> User:
    """A second province reviewer besides demo_province."""
    user = User(username="province_reviewer_2", full_name="省残联 审核员", role=Role.PROVINCE,
                region=Region.objects.get(code="43"))
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def make_project(persona: Callable[[str], User], reviewer: User
                 ) -> Callable[..., TrainingProject]:
    """``make_project(region="4301", status="published", name=...)`` through the services:
    the region's city clerk (or the province) prepares and submits, ``reviewer`` decides."""
    makers = {"4301": "demo_city_changsha", "4331": "demo_city_xiangxi", "43": "demo_province"}

    def make(region: str = "4301", status: str = "draft", **overrides: Any) -> TrainingProject:
        maker = persona(makers[region])
        project = services.project_create(actor=maker, values=project_values(region, **overrides))
        if status in ("submitted", "published", "returned", "withdrawn"):
            services.project_submit(actor=maker, project=project)
        if status == "returned":
            services.project_return(actor=reviewer, project=project, comment="请补充课时安排")
        if status in ("published", "withdrawn"):
            services.project_publish(actor=reviewer, project=project)
        if status == "withdrawn":
            services.project_withdraw(actor=reviewer, project=project, reason="机构停办")
        project.refresh_from_db()
        return project

    return make
