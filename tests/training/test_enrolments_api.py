"""API of the roster: list, enrol (person id or ID number), participants, withdraw, own."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from skillplan.accounts.models import User
from skillplan.accounts.tokens import token_create
from skillplan.catalog.choices import TrainingType
from skillplan.training.choices import ClassStatus
from skillplan.training.models import Enrolment
from skillplan.training.services.enrolments import enrol_person
from tests.training.factories import make_class, make_person, make_project, user

pytestmark = pytest.mark.django_db
BASE = "/api/v1"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


class Api:
    def __init__(self, username: str) -> None:
        self.client = Client()
        token = token_create(user=User.objects.get(username=username), name="tests")
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(BASE + path, params, **self.headers)

    def post(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.post(BASE + path, json.dumps(body), content_type="application/json",
                                **self.headers)


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == code
    return body


@pytest.fixture
def open_class():
    return make_class(status=ClassStatus.APPROVED, capacity=2)


def test_enrol_by_id_number_and_list_the_roster(open_class):
    person = make_person(name="蒋欣")
    api = Api("demo_provider")
    created = api.post(f"/classes/{open_class.pk}/enrolments",
                       {"id_number": person.id_number, "enrolled_on": "2025-03-01"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["person_id"], body["name"], body["status"], body["enrolled_on"]) == (
        person.pk, "蒋欣", "enrolled", "2025-03-01")
    assert body["id_number"] == person.masked_id_number
    listed = api.get(f"/classes/{open_class.pk}/enrolments")
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["items"]] == [body["id"]]
    assert person.id_number not in listed.content.decode()


def test_the_roster_list_pages_with_a_cursor(open_class):
    provider = user("demo_provider")
    for _number in range(2):
        enrol_person(actor=provider, training_class=open_class, person=make_person())
    api = Api("demo_county_furong")
    first = api.get(f"/classes/{open_class.pk}/enrolments", limit=1).json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    second = api.get(f"/classes/{open_class.pk}/enrolments", limit=1,
                     cursor=first["next_cursor"]).json()
    assert len(second["items"]) == 1 and second["next_cursor"] is None
    assert first["items"][0]["id"] < second["items"][0]["id"]


def test_a_clerk_enrols_by_person_id_within_their_area(open_class):
    api = Api("demo_city_changsha")
    near = make_person(region="430102")
    assert api.post(f"/classes/{open_class.pk}/enrolments",
                    {"person_id": near.pk}).status_code == 201
    far = make_person(region="433101")
    body = error(api.post(f"/classes/{open_class.pk}/enrolments", {"person_id": far.pk}),
                 422, "invalid")
    assert body["details"][0]["code"] == "person_not_found"
    body = error(api.post(f"/classes/{open_class.pk}/enrolments",
                          {"id_number": far.id_number}), 422, "invalid")
    assert body["details"][0] == {"field": "id_number", "code": "person_not_found",
                                  "message": body["details"][0]["message"]}
    assert not Enrolment.objects.filter(person=far).exists()


def test_providers_cannot_enrol_by_person_id(open_class):
    person = make_person()
    body = error(Api("demo_provider").post(f"/classes/{open_class.pk}/enrolments",
                                           {"person_id": person.pk}), 422, "invalid")
    assert body["details"][0]["code"] == "person_not_found"


def test_ineligibility_is_a_422_with_every_reason_in_details():
    project = make_project(categories="1")
    training_class = make_class(project=project, status=ClassStatus.APPROVED,
                                start=date(2025, 3, 3), end=date(2025, 3, 12))
    person = make_person(birth=date(1950, 1, 1), gender="M", category="4")
    body = error(Api("demo_provider").post(f"/classes/{training_class.pk}/enrolments",
                                           {"id_number": person.id_number}),
                 422, "not_eligible")
    assert [(d["field"], d["code"]) for d in body["details"]] == [
        ("person", "age_out_of_range"), ("person", "category_not_served")]
    assert not Enrolment.objects.filter(person=person).exists()


def test_already_enrolled_is_an_eligibility_reason(open_class):
    person = make_person()
    api = Api("demo_provider")
    api.post(f"/classes/{open_class.pk}/enrolments", {"id_number": person.id_number})
    body = error(api.post(f"/classes/{open_class.pk}/enrolments",
                          {"id_number": person.id_number}), 422, "not_eligible")
    assert body["details"][0]["code"] == "already_enrolled"


def test_a_full_class_is_a_409(open_class):
    api = Api("demo_provider")
    for _number in range(2):
        assert api.post(f"/classes/{open_class.pk}/enrolments",
                        {"id_number": make_person().id_number}).status_code == 201
    person = make_person()
    error(api.post(f"/classes/{open_class.pk}/enrolments", {"id_number": person.id_number}),
          409, "class_full")
    open_class.refresh_from_db()
    assert open_class.enrolled_count == 2


def test_bad_requests_are_422(open_class):
    api = Api("demo_provider")
    person = make_person()
    error(api.post(f"/classes/{open_class.pk}/enrolments", {}), 422, "invalid")
    error(api.post(f"/classes/{open_class.pk}/enrolments",
                   {"person_id": person.pk, "id_number": person.id_number}), 422, "invalid")
    body = error(api.post(f"/classes/{open_class.pk}/enrolments",
                          {"id_number": "430102199001011234"}), 422, "invalid")
    assert body["details"][0]["field"] == "id_number"


@pytest.mark.parametrize(("username", "status", "code"), [
    ("demo_city_xiangxi", 404, "not_found"), ("demo_provider_xiangxi", 404, "not_found"),
    ("demo_evaluator", 403, "forbidden"), ("demo_trainee", 403, "forbidden"),
])
def test_outsiders_cannot_enrol(open_class, username, status, code):
    person = make_person()
    error(Api(username).post(f"/classes/{open_class.pk}/enrolments",
                             {"id_number": person.id_number}), status, code)
    assert not Enrolment.objects.filter(person=person).exists()


def test_a_closed_roster_is_a_403():
    training_class = make_class(status=ClassStatus.DRAFT)
    error(Api("demo_provider").post(f"/classes/{training_class.pk}/enrolments",
                                    {"id_number": make_person().id_number}), 403, "forbidden")


def test_outsiders_do_not_see_the_roster(open_class):
    error(Api("demo_city_xiangxi").get(f"/classes/{open_class.pk}/enrolments"), 404,
          "not_found")
    error(Api("demo_trainee").get(f"/classes/{open_class.pk}/enrolments"), 403, "forbidden")


def test_participants_by_api():
    training_class = make_class(status=ClassStatus.APPROVED, training_type=TrainingType.EMPLOYER,
                                capacity=1)
    api = Api("demo_provider")
    created = api.post(f"/classes/{training_class.pk}/participants",
                       {"name": "韩梅", "employer": "长沙某公司", "position": "HR"})
    assert created.status_code == 201, created.content
    assert (created.json()["person_id"], created.json()["employer"]) == (None, "长沙某公司")
    error(api.post(f"/classes/{training_class.pk}/participants",
                   {"name": "李雷", "employer": "长沙某公司"}), 409, "class_full")
    error(api.post(f"/classes/{training_class.pk}/enrolments",
                   {"id_number": make_person().id_number}), 403, "forbidden")
    error(api.post(f"/classes/{training_class.pk}/participants",
                   {"name": " ", "employer": "某公司"}), 422, "name_required")


def test_withdraw_by_api(open_class):
    enrolment = enrol_person(actor=user("demo_provider"), training_class=open_class,
                             person=make_person())
    api = Api("demo_county_furong")
    error(api.post(f"/enrolments/{enrolment.pk}/withdraw", {"reason": " "}), 422,
          "reason_required")
    done = api.post(f"/enrolments/{enrolment.pk}/withdraw", {"reason": "外出务工"})
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["withdraw_reason"]) == ("withdrawn", "外出务工")
    open_class.refresh_from_db()
    assert open_class.enrolled_count == 0
    error(api.post(f"/enrolments/{enrolment.pk}/withdraw", {"reason": "再次"}), 409,
          "already_withdrawn")
    error(Api("demo_city_xiangxi").post(f"/enrolments/{enrolment.pk}/withdraw",
                                        {"reason": "无"}), 404, "not_found")
