"""Finding a person by ID number over the API without the number in an address, and refusing
control characters in the persons API's text values."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from pytest_django.fixtures import Settings

from skillplan.accounts.models import User
from skillplan.accounts.tokens import token_create
from skillplan.core.disability import make_certificate_number
from skillplan.core.idnumber import make_id_number
from skillplan.people.models import Person
from skillplan.people.rules import check_person
from skillplan.people.services import person_create
from skillplan.regions.selectors import region_index

pytestmark = pytest.mark.django_db
FURONG_ID = make_id_number("430102", date(1990, 5, 17), 123)
JISHOU_ID = make_id_number("433101", date(1980, 2, 2), 7)


@pytest.fixture(autouse=True)
def _english(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


class Api:
    def __init__(self, username: str) -> None:
        self.token = token_create(user=User.objects.get(username=username), name="tests")
        self.client = Client()

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(path, params or {}, HTTP_AUTHORIZATION=f"Bearer {self.token}")

    def post(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.post(path, json.dumps(body), content_type="application/json",
                                HTTP_AUTHORIZATION=f"Bearer {self.token}")


@pytest.fixture
def api_for(db: Any) -> Callable[[str], Api]:
    return Api


def register(number: str, region: str, phone: str = "") -> Person:
    checked = check_person({"name": "张三", "id_number": number, "region": region,
                            "phone": phone,
                            "certificate_number": make_certificate_number(number, 4, 2)},
                           regions=region_index(), today=date.today())
    assert checked.values is not None, checked.errors
    return person_create(actor=User.objects.get(username="demo_province"),
                         values=checked.values)


def test_an_id_number_in_the_list_address_is_refused_and_points_to_the_search(api_for):
    register(FURONG_ID, "430102")
    for typed in (FURONG_ID, FURONG_ID.lower(), f" {FURONG_ID[:6]} {FURONG_ID[6:]} ",
                  FURONG_ID[:17] + "0"):  # with a wrong check digit too
        response = api_for("demo_county_furong").get("/api/v1/persons", {"q": typed})
        assert response.status_code == 422
        body = response.json()
        assert body["details"][0]["field"] == "q"
        assert body["details"][0]["code"] == "id_number_in_url"
        assert "POST /api/v1/persons/search" in body["details"][0]["message"]
        assert '{"id_number": "..."}' in body["details"][0]["message"]
        assert "items" not in body
    # A name still works in the address.
    assert api_for("demo_county_furong").get("/api/v1/persons", {"q": "张"}).status_code == 200


def test_search_by_id_number_in_the_body_is_scoped_and_masked(api_for):
    person = register(FURONG_ID, "430102", phone="13812341234")
    register(JISHOU_ID, "433101")
    response = api_for("demo_county_furong").post("/api/v1/persons/search",
                                                  {"id_number": FURONG_ID.lower()})
    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["items"]] == [person.pk]
    assert body["next_cursor"] is None
    text = response.content.decode()
    assert FURONG_ID not in text and "13812341234" not in text
    assert body["items"][0]["id_number"] == FURONG_ID[:3] + "*" * 11 + FURONG_ID[-4:]
    # A person outside the caller's area is not found, exactly like an unknown number.
    outside = api_for("demo_county_furong").post("/api/v1/persons/search",
                                                 {"id_number": JISHOU_ID}).json()
    unknown = api_for("demo_county_furong").post(
        "/api/v1/persons/search", {"id_number": make_id_number("430102", date(1970, 1, 1), 9)}
    ).json()
    assert outside == unknown == {"items": [], "next_cursor": None}
    province = api_for("demo_province").post("/api/v1/persons/search",
                                             {"id_number": JISHOU_ID}).json()
    assert len(province["items"]) == 1


def test_search_with_an_invalid_id_number_explains_it(api_for):
    response = api_for("demo_county_furong").post("/api/v1/persons/search",
                                                  {"id_number": FURONG_ID[:17] + "0"})
    assert response.status_code == 422
    detail = response.json()["details"][0]
    assert detail["field"] == "id_number" and detail["code"].startswith("id_")


def test_search_needs_the_view_permission(api_for):
    register(FURONG_ID, "430102")
    response = api_for("demo_provider").post("/api/v1/persons/search",
                                             {"id_number": FURONG_ID})
    assert response.status_code == 403
    assert FURONG_ID not in response.content.decode()


@pytest.mark.parametrize("params", [{"q": "张\x00"}, {"q": "\x1b[31m"},
                                    {"region_code": "4301\x00"}])
def test_control_characters_in_list_parameters_are_refused(api_for, params):
    response = api_for("demo_province").get("/api/v1/persons", params)
    assert response.status_code == 422
    detail = response.json()["details"][0]
    assert detail["code"] == "control_character" and detail["field"] == next(iter(params))


def test_control_characters_in_a_body_are_refused_and_nothing_is_written(api_for):
    api = api_for("demo_county_furong")
    body = {"name": "张\x00三", "id_number": FURONG_ID, "region": "430102",
            "certificate_number": make_certificate_number(FURONG_ID, 4, 2)}
    response = api.post("/api/v1/persons", body)
    assert response.status_code == 422
    assert response.json()["details"][0] == {
        "field": "name", "code": "control_character",
        "message": response.json()["details"][0]["message"]}
    assert not Person.objects.exists()
    assert api.post("/api/v1/persons/search", {"id_number": "\x00"}).status_code == 422
    # Line breaks stay allowed in notes.
    ok = api.post("/api/v1/persons", {**body, "name": "张三", "notes": "第一行\n第二行"})
    assert ok.status_code == 201, ok.content


def test_the_search_is_documented_in_openapi():
    schema = Client().get("/api/openapi.json").json()
    operation = schema["paths"]["/api/v1/persons/search"]["post"]
    assert operation["summary"] and "422" in operation["responses"]
    assert "requestBody" in operation
    parameters = {p["name"] for p in operation.get("parameters", [])}
    assert {"cursor", "limit"} <= parameters
