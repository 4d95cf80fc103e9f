"""The user directory over the API: scoped exactly like the directory pages."""

from __future__ import annotations

import pytest

from skillplan.accounts.models import User
from skillplan.accounts.roles import Role
from skillplan.regions.models import Region

from .conftest import assert_error

pytestmark = pytest.mark.django_db


def _all_items(api, path: str, **params) -> list[dict]:
    items, cursor, pages = [], None, 0
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        body = api.get(path, query).json()
        items += body["items"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return items
        assert pages < 100, "pagination does not end"


def test_county_clerk_lists_only_furong_users(api_for):
    items = _all_items(api_for("demo_county_furong"), "/api/v1/users")
    assert items
    assert {item["region_code"] for item in items} == {"430102"}
    usernames = {item["username"] for item in items}
    assert "demo_county_furong" in usernames
    assert "demo_county_jishou" not in usernames
    assert set(items[0]) == {
        "id", "username", "full_name", "role", "region_code", "provider_id", "is_active"
    }


def test_county_clerk_cannot_see_other_county_user(api_for, persona):
    api = api_for("demo_county_furong")
    other = persona("demo_county_jishou")
    outside = assert_error(api.get(f"/api/v1/users/{other.pk}"), 404, "not_found")
    missing_id = User.objects.order_by("-pk").first().pk + 1000
    missing = assert_error(api.get(f"/api/v1/users/{missing_id}"), 404, "not_found")
    assert outside == missing


def test_county_clerk_reads_a_user_in_their_county(api_for, persona):
    trainee = persona("demo_trainee")
    response = api_for("demo_county_furong").get(f"/api/v1/users/{trainee.pk}")
    assert response.status_code == 200
    assert response.json()["username"] == "demo_trainee"
    assert response.json()["region_code"] == "430102"


def test_province_sees_every_user(api_for):
    items = _all_items(api_for("demo_province"), "/api/v1/users")
    assert {item["username"] for item in items} == set(
        User.objects.values_list("username", flat=True)
    )


def test_users_without_directory_permission_are_forbidden(api_for, persona):
    api = api_for("demo_provider")
    assert_error(api.get("/api/v1/users"), 403, "forbidden")
    assert_error(api.get(f"/api/v1/users/{persona('demo_provider').pk}"), 403, "forbidden")


def test_user_filters_narrow_the_list(api_for):
    api = api_for("demo_province")
    counties = api.get("/api/v1/users", {"role": "county"}).json()["items"]
    assert {item["username"] for item in counties} == {"demo_county_furong", "demo_county_jishou"}
    found = api.get("/api/v1/users", {"q": "吉首"}).json()["items"]
    assert [item["username"] for item in found] == ["demo_county_jishou"]
    xiangxi = api.get("/api/v1/users", {"region": "4331"}).json()["items"]
    assert {item["region_code"][:4] for item in xiangxi} == {"4331"}
    User.objects.filter(username="demo_partner").update(is_active=False)
    inactive = api.get("/api/v1/users", {"active": "false"}).json()["items"]
    assert [item["username"] for item in inactive] == ["demo_partner"]


def test_cursor_pagination_walks_every_page_once(api_for):
    furong = Region.objects.get(code="430102")
    for number in range(120):
        User.objects.create(username=f"bulk_{number:03}", role=Role.TRAINEE, region=furong)
    api = api_for("demo_county_furong")
    expected = set(User.objects.filter(region__code__startswith="430102").values_list(
        "username", flat=True))

    first = api.get("/api/v1/users", {"limit": 50}).json()
    assert len(first["items"]) == 50 and first["next_cursor"]
    items = _all_items(api, "/api/v1/users", limit=50)

    usernames = [item["username"] for item in items]
    assert len(usernames) == len(set(usernames))
    assert set(usernames) == expected
    assert len(usernames) >= 120


def test_default_page_is_fifty_and_last_page_has_no_cursor(api_for):
    furong = Region.objects.get(code="430102")
    for number in range(60):
        User.objects.create(username=f"page_{number:03}", role=Role.TRAINEE, region=furong)
    api = api_for("demo_county_furong")
    first = api.get("/api/v1/users").json()
    assert len(first["items"]) == 50
    second = api.get("/api/v1/users", {"cursor": first["next_cursor"]}).json()
    assert second["next_cursor"] is None
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


def test_a_page_costs_a_fixed_number_of_queries(api_for, django_assert_max_num_queries):
    api = api_for("demo_province")
    with django_assert_max_num_queries(4):  # token, last-used stamp, page; no COUNT(*)
        assert api.get("/api/v1/users", {"limit": 200}).status_code == 200
