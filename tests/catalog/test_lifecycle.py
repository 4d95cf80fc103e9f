"""A project's lifecycle: draft → submitted → published → withdrawn, returned with comments,
maker-checker, history rows and audit events, published projects read-only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from skillplan.accounts.models import User
from skillplan.audit.models import AuditEvent
from skillplan.catalog import services
from skillplan.catalog.models import BrandProject, TrainingProject
from skillplan.core.errors import RuleError
from tests.catalog.conftest import project_values

pytestmark = pytest.mark.django_db


def _events(project: TrainingProject) -> list[str]:
    return list(AuditEvent.objects.filter(target_type="catalog.trainingproject",
                                          target_id=str(project.pk))
                .order_by("seq").values_list("event", flat=True))


def test_city_draft_is_submitted_and_published_by_another_person(
        persona: Callable[[str], User], reviewer: User) -> None:
    clerk = persona("demo_city_changsha")
    project = services.project_create(actor=clerk, values=project_values())
    assert project.status == "draft" and project.code.startswith("HN-")
    services.project_submit(actor=clerk, project=project)
    services.project_publish(actor=reviewer, project=project, comment="符合目录要求")

    project.refresh_from_db()
    assert project.status == "published"
    assert project.submitted_by == clerk and project.published_by == reviewer
    assert project.published_at is not None
    steps = [(s.from_status, s.to_status, s.actor) for s in project.steps.order_by("at", "id")]
    assert steps == [("", "draft", clerk), ("draft", "submitted", clerk),
                     ("submitted", "published", reviewer)]
    assert _events(project) == ["project.created", "project.submitted", "project.published"]


def test_reviewer_cannot_publish_a_project_they_submitted(
        persona: Callable[[str], User]) -> None:
    province = persona("demo_province")
    project = services.project_create(actor=province, values=project_values("43"))
    services.project_submit(actor=province, project=project)

    with pytest.raises(RuleError) as error:
        services.project_publish(actor=province, project=project)

    assert error.value.code == "same_person"
    project.refresh_from_db()
    assert project.status == "submitted" and project.published_at is None
    assert "project.published" not in _events(project)


def test_own_submission_page_explains_why_it_cannot_be_published(
        persona: Callable[[str], User], client_for: Callable[[str], Client]) -> None:
    province = persona("demo_province")
    project = services.project_create(actor=province, values=project_values("43"))
    services.project_submit(actor=province, project=project)
    client = client_for("demo_province")

    page = client.get(reverse("catalog:detail", args=[project.pk])).content.decode()
    response = client.post(reverse("catalog:publish", args=[project.pk]), follow=True)

    assert "another reviewer at the province must publish" in page
    assert reverse("catalog:publish", args=[project.pk]) not in page
    assert "You prepared, changed or submitted this project yourself" in (
        response.content.decode())
    project.refresh_from_db()
    assert project.status == "submitted"


def test_city_clerk_may_not_publish(make_project: Callable[..., TrainingProject],
                                    client_for: Callable[[str], Client]) -> None:
    project = make_project(status="submitted")
    response = client_for("demo_city_xiangxi").post(reverse("catalog:publish",
                                                            args=[project.pk]))
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.status == "submitted"


def test_returned_project_carries_the_comment_and_can_be_changed_and_resubmitted(
        make_project: Callable[..., TrainingProject], persona: Callable[[str], User],
        reviewer: User) -> None:
    project = make_project(status="submitted")
    with pytest.raises(RuleError):
        services.project_return(actor=reviewer, project=project, comment=" ")
    services.project_return(actor=reviewer, project=project, comment="课时偏少，请补充实操")
    project.refresh_from_db()
    assert project.status == "returned" and project.review_comment == "课时偏少，请补充实操"

    clerk = persona("demo_city_changsha")
    services.project_update(actor=clerk, project=project, values=project_values(days=25, hours=200),
                            expected_version=project.version)
    services.project_submit(actor=clerk, project=project)
    project.refresh_from_db()
    assert project.status == "submitted" and project.hours == 200
    assert "project.returned" in _events(project) and "project.updated" in _events(project)


def test_published_project_is_read_only(make_project: Callable[..., TrainingProject],
                                        persona: Callable[[str], User],
                                        client_for: Callable[[str], Client]) -> None:
    project = make_project(status="published")
    with pytest.raises(RuleError) as error:
        services.project_update(actor=persona("demo_city_changsha"), project=project,
                                values=project_values(name="改名"),
                                expected_version=project.version)
    assert error.value.code == "not_editable"

    response = client_for("demo_city_changsha").post(
        reverse("catalog:edit", args=[project.pk]), {"name": "改名"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "面点师培训"


def test_withdrawal_needs_a_reason_and_is_recorded(
        make_project: Callable[..., TrainingProject], reviewer: User) -> None:
    project = make_project(status="published")
    with pytest.raises(RuleError):
        services.project_withdraw(actor=reviewer, project=project, reason="")
    project.refresh_from_db()
    assert project.status == "published"

    services.project_withdraw(actor=reviewer, project=project, reason="承训机构停止办学")
    project.refresh_from_db()
    assert project.status == "withdrawn" and project.withdrawn_reason == "承训机构停止办学"
    assert project.steps.first().comment == "承训机构停止办学"


def test_a_published_copy_replaces_its_original_and_keeps_the_brand(
        make_project: Callable[..., TrainingProject], persona: Callable[[str], User],
        reviewer: User) -> None:
    original = make_project(status="published")
    clerk = persona("demo_city_changsha")
    services.brand_designate(actor=clerk, project=original,
                             city=original.region)
    copy = services.project_copy(actor=clerk, project=original)
    assert copy.status == "draft" and copy.copied_from == original and copy.code != original.code
    services.project_update(actor=clerk, project=copy, values=project_values(fee_standard=2000),
                            expected_version=copy.version)
    services.project_submit(actor=clerk, project=copy)
    services.project_publish(actor=reviewer, project=copy)

    original.refresh_from_db()
    assert original.status == "withdrawn" and copy.code in original.withdrawn_reason
    assert BrandProject.objects.get(city_code="4301").project == copy


def test_page_flow_create_submit_publish(client_for: Callable[[str], Client],
                                         reviewer: User) -> None:
    clerk = client_for("demo_city_changsha")
    response = clerk.post(reverse("catalog:create"), {
        "name": "电商客服专项技能培训", "training_type": "employment", "sub_type": "services",
        "occupation_code": "4-01-02-02", "occupation_name": "电子商务师", "days": "15",
        "hours": "120", "delivery": "blended", "fee_standard": "1800.00",
        "categories": ["2", "4"], "accommodations": ["1", "64"], "region": "4301",
        "new_economy": ""})
    project = TrainingProject.objects.get(name="电商客服专项技能培训")
    assert response.url == reverse("catalog:detail", args=[project.pk])
    assert project.new_economy == "ecommerce_service"  # detected from the name
    assert project.accommodations == 65

    clerk.post(reverse("catalog:submit", args=[project.pk]), {"comment": "请审核"})
    checker = Client()
    checker.force_login(reviewer)
    checker.post(reverse("catalog:publish", args=[project.pk]))
    project.refresh_from_db()
    assert project.status == "published"
