"""Maker-checker on the catalog: nobody who created, changed or submitted a project may publish
or return it, and the project's page does not offer them the buttons."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from skillplan.accounts.models import User
from skillplan.audit.models import AuditEvent
from skillplan.catalog import services
from skillplan.catalog.models import TrainingProject
from skillplan.core.errors import RuleError
from tests.catalog.conftest import project_values

pytestmark = pytest.mark.django_db


def _published_events(project: TrainingProject) -> int:
    return AuditEvent.objects.filter(event="project.published",
                                     target_id=str(project.pk)).count()


def test_province_clerk_who_created_a_draft_cannot_publish_it_after_a_colleague_submits(
        persona: Callable[[str], User], reviewer: User,
        client_for: Callable[[str], Client]) -> None:
    maker = persona("demo_province")
    project = services.project_create(actor=maker, values=project_values("43"))
    services.project_submit(actor=reviewer, project=project)  # B submits A's draft

    with pytest.raises(RuleError) as refused:
        services.project_publish(actor=maker, project=project)

    assert refused.value.code == "same_person"
    project.refresh_from_db()
    assert project.status == "submitted" and project.published_by is None
    assert _published_events(project) == 0
    page = client_for("demo_province").get(reverse("catalog:detail", args=[project.pk]))
    html = page.content.decode()
    assert reverse("catalog:publish", args=[project.pk]) not in html
    assert "You prepared, changed or submitted this project yourself" in html


def test_province_clerk_who_rewrote_a_returned_city_project_cannot_publish_it(
        persona: Callable[[str], User], reviewer: User,
        make_project: Callable[..., TrainingProject]) -> None:
    project = make_project("4301", "returned")
    province, city = persona("demo_province"), persona("demo_city_changsha")
    services.project_update(actor=province, project=project,
                            values=project_values("4301", summary="省里改写的培训内容"),
                            expected_version=project.version)
    services.project_submit(actor=city, project=project)
    project.refresh_from_db()
    assert not project.can_review(province)

    with pytest.raises(RuleError) as refused:
        services.project_return(actor=province, project=project, comment="再改一下")

    assert refused.value.code == "same_person"
    project.refresh_from_db()
    assert project.status == "submitted"
    # The reviewer who only returned it (and changed nothing) may still decide.
    assert project.can_review(reviewer)
    services.project_publish(actor=reviewer, project=project)
    project.refresh_from_db()
    assert project.status == "published" and project.summary == "省里改写的培训内容"
