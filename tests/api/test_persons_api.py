"""The person registry over the API: scoped and masked like the pages, one write path."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from skillplan.audit.models import AuditEvent
from skillplan.core.disability import make_certificate_number
from skillplan.core.idnumber import make_id_number
from skillplan.people.models import Person
from skillplan.people.rules import check_person
from skillplan.people.services import person_create
from skillplan.regions.selectors import region_index

from .conftest import TokenClient, assert_error

pytestmark = pytest.mark.django_db

FURONG_ID = make_id_number("430102", date(1990, 5, 17), 123)  # odd sequence: a man
FURONG_CERT = make_certificate_number(FURONG_ID, 4, 2)
FURONG_PHONE = "13812341234"


def register(username: str, *, region: str = "芙蓉区", birth: date = date(1990, 5, 17),
             seq: int = 123, category: int = 4, grade: int = 2, **extra: Any) -> Person:
    """A person registered through the service by ``username`` (a demo persona)."""
    from skillplan.accounts.models import User

    number = make_id_number("430102" if region == "芙蓉区" else "433101", birth, seq)
    raw = {"name": "张三", "id_number": number, "region": region,
           "certificate_number": make_certificate_number(number, category, grade), **extra}
    checked = check_person(raw, regions=region_index(), today=date.today())
    assert checked.values is not None, checked.errors
    return person_create(actor=User.objects.get(username=username), values=checked.values)


def send(api: TokenClient, method: str, path: str, body: dict[str, Any]) -> Any:
    return api.client.generic(method, path, json.dumps(body), content_type="application/json",
                              HTTP_AUTHORIZATION=f"Bearer {api.token}")


def all_items(api: TokenClient, path: str = "/api/v1/persons", **params: Any) -> list[dict]:
    items: list[dict] = []
    cursor = None
    for _page in range(100):
        response = api.get(path, {**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.content
        items += response.json()["items"]
        cursor = response.json()["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("pagination does not end")


def new_person_body(**extra: Any) -> dict[str, Any]:
    return {"name": "李四", "id_number": FURONG_ID, "certificate_number": FURONG_CERT,
            "region": "芙蓉区", "gender": "男", "category": "肢体残疾", "grade": "二级",
            "ethnicity": "汉族", "education": "初中", "urban_rural": "农村",
            "employment_status": "未就业", "phone": FURONG_PHONE, **extra}


# --- Reading -------------------------------------------------------------------------------------


def test_county_clerk_lists_only_furong_persons_and_province_sees_all(api_for):
    furong = {register("demo_county_furong", seq=seq).pk for seq in (11, 13)}
    jishou = register("demo_county_jishou", region="吉首市", seq=15).pk
    seen_by_furong = all_items(api_for("demo_county_furong"))
    assert {item["id"] for item in seen_by_furong} == furong
    assert {item["region_code"] for item in seen_by_furong} == {"430102"}
    seen_by_province = {item["id"] for item in all_items(api_for("demo_province"))}
    assert seen_by_province == furong | {jishou}


def test_list_and_detail_show_protected_numbers_masked(api_for):
    person = register("demo_county_furong", phone=FURONG_PHONE, special_groups="低保")
    api = api_for("demo_county_furong")
    listed = api.get("/api/v1/persons")
    detail = api.get(f"/api/v1/persons/{person.pk}")
    for response in (listed, detail):
        assert response.status_code == 200
        text = response.content.decode()
        assert FURONG_ID not in text and FURONG_PHONE not in text
        assert FURONG_ID[6:14] not in text  # not even the birth-date digits of the ID
    body = detail.json()
    assert body == listed.json()["items"][0]
    assert body["id_number"] == FURONG_ID[:3] + "*" * 11 + FURONG_ID[-4:]
    assert body["certificate_number"] == FURONG_CERT[:3] + "*" * 13 + FURONG_CERT[-4:]
    assert body["phone"] == "138****1234"
    assert (body["region_code"], body["region_name"]) == ("430102", "芙蓉区")
    assert (body["category"], body["grade"], body["gender"]) == ("4", "2", "M")
    assert body["gender_label"] and body["category_label"] and body["grade_label"]
    assert body["birth_date"] == "1990-05-17"
    assert body["version"] == 1
    assert [(g["code"], g["derived"]) for g in body["special_groups"]] == [("4", False)]


def test_cursor_walks_every_page_newest_first(api_for):
    made = [register("demo_county_furong", seq=seq).pk for seq in range(1, 8)]
    api = api_for("demo_county_furong")
    first = api.get("/api/v1/persons", {"limit": 3}).json()
    assert [item["id"] for item in first["items"]] == sorted(made, reverse=True)[:3]
    walked = [item["id"] for item in all_items(api, limit=3)]
    assert walked == sorted(made, reverse=True)


def test_list_pages_take_a_fixed_number_of_queries(api_for, django_assert_max_num_queries):
    for seq in range(1, 21):
        register("demo_county_furong", seq=seq)
    api = api_for("demo_county_furong")
    with django_assert_max_num_queries(4):  # token, token last use, one page
        response = api.get("/api/v1/persons", {"limit": 20})
    assert len(response.json()["items"]) == 20


def test_filters_narrow_the_list(api_for):
    man = register("demo_county_furong", seq=1, birth=date(1990, 5, 17), category=4)
    woman = register("demo_county_furong", seq=2, birth=date(1950, 1, 1), category=1,
                     name="王芳", urban_rural="农村")
    veteran = register("demo_county_furong", seq=3, birth=date(2000, 3, 3), category=2,
                       name="赵六", special_groups="退役军人")
    api = api_for("demo_province")

    def ids(**params: Any) -> set[int]:
        return {item["id"] for item in all_items(api, **params)}

    assert ids(gender="F") == {woman.pk}
    assert ids(category="1") == {woman.pk}
    assert ids(special_group="blind") == {woman.pk}
    assert ids(special_group="rural") == {woman.pk}
    assert ids(special_group="8") == {veteran.pk}
    assert ids(age_band="60+") == {woman.pk}
    assert ids(working_age="false") == {woman.pk}
    found = send(api, "POST", "/api/v1/persons/search", {"id_number": man.id_number}).json()
    assert [item["id"] for item in found["items"]] == [man.pk]
    assert ids(q="赵") == {veteran.pk}
    assert ids(region_code="4301") == {man.pk, woman.pk, veteran.pk}
    assert ids(region_code="4331") == set()
    body = assert_error(api.get("/api/v1/persons", {"gender": "X"}), 422, "invalid")
    assert body["details"][0]["field"] == "gender"


def test_filter_choices_match_the_registry_selectors():
    from typing import get_args

    from skillplan.people.apis import AgeBand, SpecialGroupFilter
    from skillplan.people.choices import AGE_BANDS, SpecialGroup
    from skillplan.people.selectors import DERIVED_GROUPS

    assert set(get_args(AgeBand)) == set(AGE_BANDS)
    assert set(get_args(SpecialGroupFilter)) == set(DERIVED_GROUPS) | {
        str(value) for value in SpecialGroup.values}


# --- Registering -------------------------------------------------------------------------------


def test_create_valid_person_answers_201_and_is_found_by_full_id(api_for):
    api = api_for("demo_county_furong")
    response = send(api, "POST", "/api/v1/persons", new_person_body(special_groups=["8"]))
    assert response.status_code == 201, response.content
    body = response.json()
    assert FURONG_ID not in response.content.decode()
    assert (body["name"], body["region_code"], body["education"]) == ("李四", "430102", "junior")
    assert {group["code"] for group in body["special_groups"]} == {"8", "rural"}
    found = send(api, "POST", "/api/v1/persons/search", {"id_number": FURONG_ID}).json()["items"]
    assert [item["id"] for item in found] == [body["id"]]
    assert AuditEvent.objects.filter(event="person.created", target_id=str(body["id"])).exists()


def test_create_accepts_codes_as_well_as_chinese_words(api_for):
    body = new_person_body(gender="M", category="4", grade=2, region="430102",
                           education="junior", urban_rural="rural",
                           employment_status="unemployed", special_groups=5)
    response = send(api_for("demo_county_furong"), "POST", "/api/v1/persons", body)
    assert response.status_code == 201, response.content
    groups = {group["code"] for group in response.json()["special_groups"]}
    assert {"1", "4"} <= groups


def test_create_with_bad_data_lists_every_problem_and_writes_nothing(api_for):
    body = new_person_body(name="", gender="女", birth_date="1990-05-18", phone="12345",
                           ethnicity="精灵族", region="火星区", special_groups=["16"])
    response = send(api_for("demo_county_furong"), "POST", "/api/v1/persons", body)
    error = assert_error(response, 422, "invalid")
    problems = {(detail["field"], detail["code"]) for detail in error["details"]}
    assert problems == {
        ("name", "required"), ("gender", "gender_mismatch"),
        ("birth_date", "birthdate_mismatch"), ("phone", "phone_format"),
        ("ethnicity", "enum_invalid"), ("region", "region_unknown"),
        ("special_groups", "enum_invalid"),
    }
    assert all(detail["message"] for detail in error["details"])
    assert not Person.objects.exists()


def test_create_with_an_unknown_field_is_refused(api_for):
    response = send(api_for("demo_county_furong"), "POST", "/api/v1/persons",
                    new_person_body(region_code="430102"))
    error = assert_error(response, 422, "invalid")
    assert [detail["field"] for detail in error["details"]] == ["region_code"]
    assert not Person.objects.exists()


def test_county_clerk_cannot_register_in_another_county(api_for):
    api = api_for("demo_county_furong")
    events = AuditEvent.objects.count()
    response = send(api, "POST", "/api/v1/persons", new_person_body(region="吉首市"))
    assert_error(response, 422, "region_out_of_scope")
    assert not Person.objects.exists()
    assert AuditEvent.objects.count() == events


def test_registering_an_id_twice_is_a_conflict(api_for):
    api = api_for("demo_county_furong")
    assert send(api, "POST", "/api/v1/persons", new_person_body()).status_code == 201
    response = send(api, "POST", "/api/v1/persons", new_person_body(name="张三丰"))
    error = assert_error(response, 409, "person_exists")
    assert error["details"][0]["field"] == "id_number"
    assert Person.objects.count() == 1
    assert Person.objects.get().name == "李四"


# --- Changing ----------------------------------------------------------------------------------


def test_patch_changes_the_phone_and_audits_masked_values(api_for):
    person = register("demo_county_furong", phone=FURONG_PHONE, ethnicity="苗族")
    api = api_for("demo_county_furong")
    response = send(api, "PATCH", f"/api/v1/persons/{person.pk}",
                    {"phone": "13900001111", "version": 1})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["phone"], body["version"], body["ethnicity"]) == ("139****1111", 2, "苗族")
    assert "13900001111" not in response.content.decode()
    stored = Person.objects.get(pk=person.pk)
    assert (stored.phone, stored.id_number, stored.name) == ("13900001111", person.id_number,
                                                             "张三")
    event = AuditEvent.objects.get(event="person.updated", target_id=str(person.pk))
    assert event.before == {"phone": "138****1234"}
    assert event.after == {"phone": "139****1111"}


def test_patch_with_a_stale_version_is_a_conflict_and_changes_nothing(api_for):
    person = register("demo_county_furong", phone=FURONG_PHONE)
    api = api_for("demo_county_furong")
    assert send(api, "PATCH", f"/api/v1/persons/{person.pk}",
                {"name": "张小三", "version": 1}).status_code == 200
    response = send(api, "PATCH", f"/api/v1/persons/{person.pk}",
                    {"phone": "13900001111", "version": 1})
    assert_error(response, 409, "stale_version")
    stored = Person.objects.get(pk=person.pk)
    assert (stored.phone, stored.version, stored.name) == (FURONG_PHONE, 2, "张小三")


def test_patch_needs_the_version(api_for):
    person = register("demo_county_furong")
    response = send(api_for("demo_county_furong"), "PATCH", f"/api/v1/persons/{person.pk}",
                    {"name": "张小三"})
    error = assert_error(response, 422, "invalid")
    assert [(d["field"], d["code"]) for d in error["details"]] == [("version", "required")]
    assert Person.objects.get(pk=person.pk).name == "张三"


def test_patch_with_bad_values_lists_problems_and_changes_nothing(api_for):
    person = register("demo_county_furong", phone=FURONG_PHONE)
    response = send(api_for("demo_county_furong"), "PATCH", f"/api/v1/persons/{person.pk}",
                    {"phone": "123", "grade": "一级", "name": None, "version": 1})
    error = assert_error(response, 422, "invalid")
    assert {(d["field"], d["code"]) for d in error["details"]} == {
        ("phone", "phone_format"), ("grade", "grade_mismatch"), ("name", "required")}
    stored = Person.objects.get(pk=person.pk)
    assert (stored.phone, stored.version) == (FURONG_PHONE, 1)


def test_patch_cannot_move_a_person_out_of_the_clerks_county(api_for):
    person = register("demo_county_furong")
    response = send(api_for("demo_county_furong"), "PATCH", f"/api/v1/persons/{person.pk}",
                    {"region": "吉首市", "version": 1})
    assert_error(response, 422, "region_out_of_scope")
    assert Person.objects.get(pk=person.pk).region_code == "430102"


def test_a_merged_record_is_not_listed_and_cannot_be_changed(api_for, persona):
    from skillplan.people.services import person_merge

    keep = register("demo_county_furong", seq=1)
    duplicate = register("demo_county_furong", seq=3)
    person_merge(actor=persona("demo_city_changsha"), keep=keep, duplicate=duplicate,
                 reason="同一人")
    api = api_for("demo_county_furong")
    assert [item["id"] for item in all_items(api)] == [keep.pk]
    assert api.get(f"/api/v1/persons/{duplicate.pk}").json()["merged_into_id"] == keep.pk
    response = send(api, "PATCH", f"/api/v1/persons/{duplicate.pk}",
                    {"name": "改名", "version": 2})
    assert_error(response, 422, "person_merged")
    assert Person.objects.get(pk=duplicate.pk).name == "张三"


def test_other_county_person_answers_like_a_missing_one(api_for):
    person = register("demo_county_jishou", region="吉首市", phone=FURONG_PHONE)
    api = api_for("demo_county_furong")
    missing_pk = person.pk + 1000
    for method, suffix, body in (("GET", "", None), ("PATCH", "", {"name": "x", "version": 1}),
                                 ("POST", "/reveal", {"reason": "核对身份"})):
        answers = []
        for pk in (person.pk, missing_pk):
            path = f"/api/v1/persons/{pk}{suffix}"
            response = api.get(path) if body is None else send(api, method, path, body)
            answers.append(assert_error(response, 404, "not_found"))
        assert answers[0] == answers[1]
    stored = Person.objects.get(pk=person.pk)
    assert (stored.name, stored.version) == ("张三", 1)
    assert not AuditEvent.objects.filter(event="person.revealed").exists()


# --- Revealing ---------------------------------------------------------------------------------


def test_reveal_gives_the_clear_numbers_for_a_reason_and_is_audited(api_for):
    person = register("demo_county_furong", phone=FURONG_PHONE)
    api = api_for("demo_county_furong")
    path = f"/api/v1/persons/{person.pk}/reveal"
    assert_error(send(api, "POST", path, {"reason": " "}), 422, "reason_required")
    missing = assert_error(send(api, "POST", path, {}), 422, "invalid")
    assert missing["details"][0]["field"] == "reason"
    assert not AuditEvent.objects.filter(event="person.revealed").exists()
    response = send(api, "POST", path, {"reason": "核对身份"})
    assert response.status_code == 200, response.content
    assert response.json() == {"id": person.pk, "id_number": person.id_number,
                               "certificate_number": person.certificate_number,
                               "phone": FURONG_PHONE}
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(event="person.revealed")
    assert event.target_id == str(person.pk) and event.after["reason"] == "核对身份"
    assert event.actor.username == "demo_county_furong"


# --- Who may call ------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["demo_provider", "demo_partner", "demo_evaluator",
                                      "demo_sysadmin", "demo_auditor"])
def test_roles_without_registry_access_are_forbidden(api_for, username):
    person = register("demo_county_furong", phone=FURONG_PHONE)
    api = api_for(username)
    events = AuditEvent.objects.count()
    assert_error(api.get("/api/v1/persons"), 403, "forbidden")
    assert_error(api.get(f"/api/v1/persons/{person.pk}"), 403, "forbidden")
    assert_error(send(api, "POST", "/api/v1/persons", new_person_body()), 403, "forbidden")
    assert_error(send(api, "PATCH", f"/api/v1/persons/{person.pk}",
                      {"name": "改名", "version": 1}), 403, "forbidden")
    assert_error(send(api, "POST", f"/api/v1/persons/{person.pk}/reveal",
                      {"reason": "核对身份"}), 403, "forbidden")
    assert Person.objects.count() == 1
    assert Person.objects.get().name == "张三"
    assert AuditEvent.objects.count() == events


def test_trainee_token_is_forbidden_even_for_their_own_record(api_for, persona):
    person = register("demo_county_furong")
    Person.objects.filter(pk=person.pk).update(user=persona("demo_trainee"))
    api = api_for("demo_trainee")
    assert_error(api.get("/api/v1/persons"), 403, "forbidden")
    assert_error(api.get(f"/api/v1/persons/{person.pk}"), 403, "forbidden")


def test_person_routes_are_in_the_openapi_schema():
    schema = Client().get("/api/openapi.json").json()
    assert set(schema["paths"]["/api/v1/persons"]) == {"get", "post"}
    assert set(schema["paths"]["/api/v1/persons/{person_id}"]) == {"get", "patch"}
    assert "post" in schema["paths"]["/api/v1/persons/{person_id}/reveal"]
    for operations in (schema["paths"]["/api/v1/persons"],
                       schema["paths"]["/api/v1/persons/{person_id}"]):
        assert all(operation["summary"] for operation in operations.values())
    assert "409" in schema["paths"]["/api/v1/persons"]["post"]["responses"]
    person_out = schema["components"]["schemas"]["PersonOut"]["properties"]
    assert {"region_code", "version", "special_groups", "id_number"} <= set(person_out)
