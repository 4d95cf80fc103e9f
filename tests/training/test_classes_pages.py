"""The class pages: opening and changing a class, its page (fields, timeline, the steps it
offers) and the steps as POST forms (403 for a role that may never, 404 outside the area, a
message when a rule refuses)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.fixtures import Settings

from skillplan.training.choices import ClassStatus
from skillplan.training.models import TrainingClass
from skillplan.training.views.classes import part_links
from tests.training.factories import demo_provider, make_class, make_project, user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _english(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _form(project_pk: int, **overrides: Any) -> dict[str, Any]:
    start = TODAY() + timedelta(days=10)
    data = {"name": "面点师培训班（第一期）", "project": str(project_pk), "region": "430102",
            "start_date": start.isoformat(), "end_date": (start + timedelta(days=9)).isoformat(),
            "days": "10", "hours": "60", "venue": "芙蓉区五一大道100号", "venue_accessible": "on",
            "capacity": "30", "teachers": "李老师", "accommodations": ["1", "16"],
            "budget": "36000.00"}
    data.update(overrides)
    return data


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- open and change -------------------------------------------------------------------------


def test_a_provider_opens_a_class(client_for: Callable[[str], Client]) -> None:
    project = make_project()
    client = client_for("demo_provider")
    page = client.get(reverse("training:create")).content.decode()
    assert project.code in page and 'name="provider"' not in page
    response = client.post(reverse("training:create"), _form(project.pk))
    training_class = TrainingClass.objects.get()
    assert response.url == reverse("training:detail", args=[training_class.pk])
    assert training_class.provider == demo_provider()
    assert training_class.accommodations == 17
    assert training_class.created_by == user("demo_provider")
    assert training_class.code.startswith("HN-430100-")


def test_a_clerk_chooses_the_provider(client_for: Callable[[str], Client]) -> None:
    project = make_project()
    client = client_for("demo_county_furong")
    assert 'name="provider"' in client.get(reverse("training:create")).content.decode()
    client.post(reverse("training:create"),
                _form(project.pk, provider=str(demo_provider().pk)))
    assert TrainingClass.objects.get().created_by == user("demo_county_furong")


def test_problems_are_shown_on_their_fields(client_for: Callable[[str], Client]) -> None:
    project = make_project()
    start = TODAY()
    response = client_for("demo_provider").post(reverse("training:create"), _form(
        project.pk, end_date=(start - timedelta(days=1)).isoformat(),
        start_date=start.isoformat(), capacity="0"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page
    assert "The last day cannot be before the first day." in page
    assert 'aria-invalid="true"' in page
    assert not TrainingClass.objects.exists()


def test_a_project_the_provider_may_not_run_is_not_offered(
        client_for: Callable[[str], Client]) -> None:
    other = make_project(provider=demo_provider("433101"))
    client = client_for("demo_provider")
    assert other.code not in client.get(reverse("training:create")).content.decode()
    response = client.post(reverse("training:create"), _form(other.pk))
    assert response.status_code == 200 and not TrainingClass.objects.exists()


def test_a_draft_is_changed_and_a_stale_form_is_refused(
        client_for: Callable[[str], Client]) -> None:
    training_class = make_class()
    client = client_for("demo_provider")
    url = reverse("training:edit", args=[training_class.pk])
    data = _form(training_class.project_id, name="新名称", version=str(training_class.version))
    assert client.post(url, data).status_code == 302
    training_class.refresh_from_db()
    assert training_class.name == "新名称"
    response = client.post(url, {**data, "name": "再次修改"})  # the old version again
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    training_class.refresh_from_db()
    assert training_class.name == "新名称"


def test_editing_a_submitted_class_goes_back_to_its_page(
        client_for: Callable[[str], Client]) -> None:
    training_class = make_class(status=ClassStatus.SUBMITTED)
    response = client_for("demo_provider").get(reverse("training:edit",
                                                       args=[training_class.pk]))
    assert response.url == reverse("training:detail", args=[training_class.pk])


def test_edit_outside_scope_is_404_and_without_the_right_403(
        client_for: Callable[[str], Client]) -> None:
    training_class = make_class()
    url = reverse("training:edit", args=[training_class.pk])
    assert client_for("demo_provider_xiangxi").get(url).status_code == 404
    assert client_for("demo_county_jishou").get(url).status_code == 404
    assert client_for("demo_evaluator").get(url).status_code == 403


# --- the class page ----------------------------------------------------------------------


def test_the_page_shows_the_fields_and_the_timeline(client_for: Callable[[str], Client]) -> None:
    training_class = make_class(status=ClassStatus.RETURNED)
    page = client_for("demo_provider").get(
        reverse("training:detail", args=[training_class.pk])).content.decode()
    for text in (training_class.code, training_class.project.code, "芙蓉区培训中心三楼",
                 "Returned for changes", "请补充师资情况", "Accessible venue",
                 "Class created", "Application submitted (开班申请)",
                 "Application returned with comments", "长沙市残联 李强"):
        assert text in page, text
    timeline = page.index("Timeline")
    assert page.index("Class created", timeline) < page.index("Application returned", timeline)
    assert reverse("training:submit", args=[training_class.pk]) in page
    assert reverse("training:approve", args=[training_class.pk]) not in page


def test_the_page_offers_only_the_steps_the_user_may_take(
        client_for: Callable[[str], Client]) -> None:
    training_class = make_class(status=ClassStatus.SUBMITTED)
    pk = training_class.pk
    clerk = client_for("demo_city_changsha").get(reverse("training:detail", args=[pk]))
    page = clerk.content.decode()
    assert reverse("training:approve", args=[pk]) in page
    assert reverse("training:return", args=[pk]) in page
    assert reverse("training:cancel", args=[pk]) in page
    assert reverse("training:assign_evaluator", args=[pk]) in page
    provider = client_for("demo_provider").get(reverse("training:detail", args=[pk]))
    page = provider.content.decode()
    assert reverse("training:approve", args=[pk]) not in page
    assert reverse("training:submit", args=[pk]) not in page
    assert reverse("training:assign_evaluator", args=[pk]) not in page


def test_the_page_links_the_parts_that_exist() -> None:
    training_class = make_class()
    links = dict((str(label), url) for label, url in part_links(training_class))
    assert links["Roster (enrolled trainees)"] == reverse("training:roster",
                                                          args=[training_class.pk])


def test_the_page_is_404_outside_scope(client_for: Callable[[str], Client]) -> None:
    training_class = make_class()
    url = reverse("training:detail", args=[training_class.pk])
    for username in ("demo_city_xiangxi", "demo_county_jishou", "demo_provider_xiangxi",
                     "demo_evaluator"):
        assert client_for(username).get(url).status_code == 404, username
    for username in ("demo_partner", "demo_sysadmin", "demo_trainee"):
        assert client_for(username).get(url).status_code == 403, username


# --- the steps ---------------------------------------------------------------------------


def test_submit_and_approve_through_the_pages(client_for: Callable[[str], Client]) -> None:
    training_class = make_class()
    pk = training_class.pk
    response = client_for("demo_provider").post(reverse("training:submit", args=[pk]),
                                                {"comment": "请审核"})
    assert response.url == reverse("training:detail", args=[pk])
    assert "The application is submitted" in _messages(response)[-1]
    response = client_for("demo_city_changsha").post(reverse("training:approve", args=[pk]))
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.APPROVED
    assert training_class.steps.get(action="submitted").comment == "请审核"


def test_return_without_a_comment_is_refused_with_a_message(
        client_for: Callable[[str], Client]) -> None:
    training_class = make_class(status=ClassStatus.SUBMITTED)
    response = client_for("demo_city_changsha").post(
        reverse("training:return", args=[training_class.pk]), {"return-comment": ""})
    assert "Say what must change" in _messages(response)[-1]
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.SUBMITTED
    client_for("demo_city_changsha").post(reverse("training:return", args=[training_class.pk]),
                                          {"return-comment": "补充预算明细"})
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.RETURNED
    assert training_class.review_comment == "补充预算明细"


def test_a_rule_refusal_is_a_message_and_changes_nothing(
        client_for: Callable[[str], Client]) -> None:
    clerk = user("demo_city_changsha")
    training_class = make_class(actor=clerk, status=ClassStatus.SUBMITTED)
    response = client_for("demo_city_changsha").post(
        reverse("training:approve", args=[training_class.pk]))
    assert response.status_code == 302
    assert "another person of the federation must review it" in _messages(response)[-1]
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.SUBMITTED


def test_a_role_that_may_never_take_a_step_gets_403(
        client_for: Callable[[str], Client]) -> None:
    training_class = make_class(status=ClassStatus.SUBMITTED)
    pk = training_class.pk
    for username, step in (("demo_provider", "approve"), ("demo_province", "approve"),
                           ("demo_county_furong", "return"), ("demo_evaluator", "submit"),
                           ("demo_partner", "cancel"), ("demo_provider", "assign_evaluator")):
        response = client_for(username).post(reverse(f"training:{step}", args=[pk]))
        assert response.status_code == 403, (username, step)
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.SUBMITTED


def test_a_step_on_a_class_outside_the_area_gets_404(
        client_for: Callable[[str], Client]) -> None:
    training_class = make_class(status=ClassStatus.SUBMITTED)
    pk = training_class.pk
    for username, step in (("demo_city_xiangxi", "approve"), ("demo_provider_xiangxi", "cancel"),
                           ("demo_county_jishou", "start")):
        response = client_for(username).post(reverse(f"training:{step}", args=[pk]),
                                             {"cancel-reason": "测试"})
        assert response.status_code == 404, (username, step)
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.SUBMITTED


def test_steps_are_post_only(client_for: Callable[[str], Client]) -> None:
    training_class = make_class(status=ClassStatus.SUBMITTED)
    response = client_for("demo_city_changsha").get(reverse("training:approve",
                                                            args=[training_class.pk]))
    assert response.status_code == 405


def test_run_and_complete_through_the_pages(client_for: Callable[[str], Client]) -> None:
    from skillplan.training.services.results import results_record

    training_class = make_class(status=ClassStatus.APPROVED, trainees=1)
    pk = training_class.pk
    provider = client_for("demo_provider")
    provider.post(reverse("training:start", args=[pk]))
    provider.post(reverse("training:end", args=[pk]))
    response = provider.post(reverse("training:submit_completion", args=[pk]))
    assert "has no result yet" in _messages(response)[-1]
    results_record(actor=user("demo_provider"), enrolment=training_class.enrolments.get(),
                   passed=True)
    provider.post(reverse("training:submit_completion", args=[pk]))
    clerk = client_for("demo_city_changsha")
    clerk.post(reverse("training:return_completion", args=[pk]), {"return-comment": "补充签到"})
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.ENDED
    provider.post(reverse("training:submit_completion", args=[pk]))
    clerk.post(reverse("training:approve_completion", args=[pk]))
    provider.post(reverse("training:close", args=[pk]))
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.CLOSED


def test_cancel_and_assign_evaluator_through_the_pages(
        client_for: Callable[[str], Client]) -> None:
    training_class = make_class(status=ClassStatus.APPROVED)
    pk = training_class.pk
    evaluator = user("demo_evaluator")
    client_for("demo_county_furong").post(reverse("training:assign_evaluator", args=[pk]),
                                          {"evaluator-evaluator": str(evaluator.pk)})
    training_class.refresh_from_db()
    assert training_class.evaluator == evaluator
    assert client_for("demo_evaluator").get(
        reverse("training:detail", args=[pk])).status_code == 200
    response = client_for("demo_provider").post(reverse("training:cancel", args=[pk]),
                                                {"cancel-reason": ""})
    assert "Say why the class is cancelled" in _messages(response)[-1]
    client_for("demo_provider").post(reverse("training:cancel", args=[pk]),
                                     {"cancel-reason": "报名人数不足"})
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.CANCELLED
    page = client_for("demo_provider").get(reverse("training:detail", args=[pk])
                                           ).content.decode()
    assert "报名人数不足" in page and "Class cancelled" in page
