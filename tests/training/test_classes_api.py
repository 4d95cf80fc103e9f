"""API of training classes: scope, filters, opening a class, the steps and the error contract."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.fixtures import Settings

from skillplan.accounts.tokens import token_create
from skillplan.training.choices import ClassStatus
from skillplan.training.models import TrainingClass
from tests.training.factories import demo_provider, make_class, make_project, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


class Api:
    def __init__(self, username: str) -> None:
        self.client = Client()
        self.auth = f"Bearer {token_create(user=user(username), name='tests')}"

    def get(self, path: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.get(path, data or {}, HTTP_AUTHORIZATION=self.auth)

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post(path, json.dumps(body or {}), content_type="application/json",
                                HTTP_AUTHORIZATION=self.auth)


@pytest.fixture
def api() -> Callable[[str], Api]:
    return Api


def _url(name: str, *args: Any) -> str:
    return reverse(f"api-1.0.0:{name}", args=args)


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == code
    return body


def test_the_list_is_scoped_and_filtered(api: Callable[[str], Api]) -> None:
    furong = make_class(name="芙蓉班")
    approved = make_class(status=ClassStatus.APPROVED)
    jishou = make_class(provider=demo_provider("433101"))
    body = api("demo_city_changsha").get(_url("training_classes")).json()
    assert [item["code"] for item in body["items"]] == [approved.code, furong.code]
    assert body["next_cursor"] is None
    assert {item["code"] for item in api("demo_provider_xiangxi").get(
        _url("training_classes")).json()["items"]} == {jishou.code}
    filtered = api("demo_province").get(_url("training_classes"), {"status": "approved"})
    assert [item["code"] for item in filtered.json()["items"]] == [approved.code]
    by_region = api("demo_province").get(_url("training_classes"), {"region": "4331"})
    assert [item["code"] for item in by_region.json()["items"]] == [jishou.code]
    first = api("demo_province").get(_url("training_classes"), {"limit": 2}).json()
    rest = api("demo_province").get(_url("training_classes"),
                                    {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [i["code"] for i in first["items"] + rest["items"]] == [jishou.code, approved.code,
                                                                  furong.code]


def test_one_class_by_id_or_code_with_its_timeline(api: Callable[[str], Api]) -> None:
    training_class = make_class(status=ClassStatus.SUBMITTED)
    body = api("demo_county_furong").get(_url("training_class", training_class.pk)).json()
    assert body["code"] == training_class.code
    assert body["status"] == "submitted"
    assert body["accommodations"] == [{"code": "16", "label": "Accessible venue"}]
    assert [step["action"] for step in body["steps"]] == ["created", "submitted"]
    by_code = api("demo_county_furong").get(_url("training_class_by_code",
                                                 training_class.code.lower()))
    assert by_code.json()["id"] == training_class.pk


def test_outside_the_area_is_404(api: Callable[[str], Api]) -> None:
    training_class = make_class(status=ClassStatus.SUBMITTED)
    for username in ("demo_city_xiangxi", "demo_provider_xiangxi"):
        _error(api(username).get(_url("training_class", training_class.pk)), 404, "not_found")
        _error(api(username).get(_url("training_class_by_code", training_class.code)), 404,
               "not_found")
    _error(api("demo_city_xiangxi").post(_url("training_class_approve", training_class.pk)),
           404, "not_found")
    _error(api("demo_partner").get(_url("training_classes")), 403, "forbidden")


def _body(project_id: int, **overrides: Any) -> dict[str, Any]:
    start = timezone.localdate() + timedelta(days=5)
    body = {"name": "电商客服班", "project_id": project_id, "region_code": "430102",
            "start_date": start.isoformat(), "end_date": (start + timedelta(days=9)).isoformat(),
            "days": 10, "hours": 60, "venue": "芙蓉区某街道", "venue_accessible": True,
            "capacity": 25, "accommodations": [1, 16], "budget": "20000.50"}
    body.update(overrides)
    return body


def test_a_provider_opens_a_class_through_the_api(api: Callable[[str], Api]) -> None:
    project = make_project()
    response = api("demo_provider").post(_url("training_classes"), _body(project.pk))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"].startswith("HN-430100-") and body["status"] == "draft"
    assert body["provider_id"] == demo_provider().pk
    training_class = TrainingClass.objects.get()
    assert training_class.accommodations == 17 and str(training_class.budget) == "20000.50"


def test_invalid_values_answer_422_with_every_problem(api: Callable[[str], Api]) -> None:
    project = make_project()
    start = timezone.localdate()
    response = api("demo_provider").post(_url("training_classes"), _body(
        project.pk, end_date=(start - timedelta(days=1)).isoformat(),
        start_date=start.isoformat(), region_code="433101", accommodations=[3]))
    body = _error(response, 422, "invalid")
    fields = {(detail["field"], detail["code"]) for detail in body["details"]}
    assert ("end_date", "dates_order") in fields
    assert ("region_code", "region_other_city") in fields
    assert ("accommodations", "accommodations_invalid") in fields
    assert not TrainingClass.objects.exists()


def test_a_project_the_provider_may_not_run_is_422(api: Callable[[str], Api]) -> None:
    other = make_project(provider=demo_provider("433101"))
    body = _error(api("demo_provider").post(_url("training_classes"), _body(other.pk)), 422,
                  "invalid")
    assert body["details"][0]["field"] == "project_id"


def test_roles_without_class_rights_cannot_open_classes(api: Callable[[str], Api]) -> None:
    project = make_project()
    _error(api("demo_evaluator").post(_url("training_classes"), _body(project.pk)), 403,
           "forbidden")


def test_the_steps_through_the_api(api: Callable[[str], Api]) -> None:
    training_class = make_class()
    pk = training_class.pk
    provider, clerk = api("demo_provider"), api("demo_city_changsha")
    submitted = provider.post(_url("training_class_submit", pk), {"comment": "请审核"})
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    version = submitted.json()["version"]
    _error(clerk.post(_url("training_class_return", pk), {}), 422, "comment_required")
    _error(clerk.post(_url("training_class_approve", pk), {"version": version - 1}), 409,
           "stale_version")
    approved = clerk.post(_url("training_class_approve", pk), {"version": version})
    assert approved.json()["status"] == "approved"
    _error(clerk.post(_url("training_class_approve", pk)), 409, "status_invalid")
    assert provider.post(_url("training_class_start", pk)).json()["status"] == "in_progress"
    assert provider.post(_url("training_class_end", pk)).json()["status"] == "ended"
    _error(provider.post(_url("training_class_submit_completion", pk)), 409, "no_trainees")
    _error(provider.post(_url("training_class_cancel", pk)), 422, "comment_required")
    cancelled = provider.post(_url("training_class_cancel", pk), {"reason": "无人报名"})
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancel_reason"] == "无人报名"


def test_refusals_through_the_api(api: Callable[[str], Api], settings: Settings) -> None:
    clerk = user("demo_city_changsha")
    training_class = make_class(actor=clerk, status=ClassStatus.SUBMITTED)
    pk = training_class.pk
    _error(api("demo_city_changsha").post(_url("training_class_approve", pk)), 403,
           "same_person")
    _error(api("demo_provider").post(_url("training_class_approve", pk)), 403, "forbidden")
    _error(api("demo_province").post(_url("training_class_approve", pk)), 403, "forbidden")
    _error(api("demo_evaluator").post(_url("training_class_submit", pk)), 403, "forbidden")
    start = timezone.localdate() + timedelta(days=3)
    later = make_class(status=ClassStatus.APPROVED, start=start, end=start + timedelta(days=2))
    _error(api("demo_provider").post(_url("training_class_start", later.pk)), 409, "too_early")
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.SUBMITTED


def test_completion_through_the_api(api: Callable[[str], Api]) -> None:
    training_class = make_class(status=ClassStatus.COMPLETION_SUBMITTED, trainees=1)
    pk = training_class.pk
    approved = api("demo_city_changsha").post(_url("training_class_approve_completion", pk))
    assert approved.json()["status"] == "completion_approved"
    assert "certificates_issued" in [step["action"] for step in approved.json()["steps"]]
    closed = api("demo_provider").post(_url("training_class_close", pk))
    assert closed.json()["status"] == "closed"
