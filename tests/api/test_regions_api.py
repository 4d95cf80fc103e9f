"""The region tree over the API."""

from __future__ import annotations

import pytest

from .conftest import assert_error

pytestmark = pytest.mark.django_db


def test_regions_without_parent_list_the_provinces(api_for):
    body = api_for("demo_provider").get("/api/v1/regions").json()
    assert "43" in [item["code"] for item in body["items"]]
    assert {item["level"] for item in body["items"]} == {"province"}
    assert body["next_cursor"] is None


def test_regions_of_a_city_are_its_counties(api_for):
    items = api_for("demo_provider").get("/api/v1/regions", {"parent": "4301"}).json()["items"]
    codes = [item["code"] for item in items]
    assert "430102" in codes
    assert all(code.startswith("4301") and len(code) == 6 for code in codes)
    assert {item["parent_code"] for item in items} == {"4301"}


def test_regions_of_an_unknown_parent_are_not_found(api_for):
    assert_error(api_for("demo_provider").get("/api/v1/regions", {"parent": "99"}), 404,
                 "not_found")


def test_region_detail(api_for):
    body = api_for("demo_county_jishou").get("/api/v1/regions/430102").json()
    assert body["name"] == "芙蓉区"
    assert body["full_name"] == "长沙市芙蓉区"
    assert body["level"] == "county"
    assert body["parent_code"] == "4301"


def test_unknown_region_code_is_not_found(api_for):
    assert_error(api_for("demo_provider").get("/api/v1/regions/999999"), 404, "not_found")


@pytest.mark.parametrize("text", ["430102", "芙蓉区", "长沙市芙蓉区"])
def test_code_name_and_city_name_resolve_to_the_same_region(api_for, text):
    response = api_for("demo_provider").get("/api/v1/regions/resolve", {"q": text})
    assert response.status_code == 200
    assert response.json()["code"] == "430102"
    assert response.json()["parent_code"] == "4301"


def test_unknown_region_name_is_a_rule_error(api_for):
    response = api_for("demo_provider").get("/api/v1/regions/resolve", {"q": "火星区"})
    body = assert_error(response, 422, "region_unknown")
    assert "火星区" in body["message"]


def test_resolve_without_text_is_a_validation_error(api_for):
    body = assert_error(api_for("demo_provider").get("/api/v1/regions/resolve"), 422, "invalid")
    assert body["details"] == [
        {"field": "q", "code": "required", "message": body["details"][0]["message"]}
    ]
