"""Text with NUL or other control characters is refused with 422, never a server error
(PostgreSQL cannot hold NUL in text)."""

from __future__ import annotations

import pytest

from skillplan.api.pagination import encode_cursor

from .conftest import assert_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "path", "params", "field"),
    [
        ("demo_province", "/api/v1/users", {"q": "张\x00"}, "q"),
        ("demo_province", "/api/v1/users", {"region": "43\x00"}, "region"),
        ("demo_auditor", "/api/v1/audit/events", {"actor": "demo\x00"}, "actor"),
        ("demo_auditor", "/api/v1/audit/events", {"event": "user.\x00"}, "event"),
        ("demo_auditor", "/api/v1/audit/events", {"target_type": "a\x1b"}, "target_type"),
        ("demo_auditor", "/api/v1/audit/events", {"target_id": "1\x00"}, "target_id"),
    ],
)
def test_control_character_in_a_filter_is_a_validation_error(
    api_for, username, path, params, field
):
    body = assert_error(api_for(username).get(path, params), 422, "invalid")
    assert body["details"] == [{
        "field": field, "code": "control_character", "message": body["details"][0]["message"],
    }]
    assert "NUL" in body["details"][0]["message"]


def test_ordinary_text_filters_still_work(api_for):
    response = api_for("demo_province").get("/api/v1/users", {"q": "芙蓉区 张丽"})
    assert response.status_code == 200


def test_cursor_holding_a_control_character_is_refused(api_for):
    response = api_for("demo_auditor").get("/api/v1/regions",
                                           {"cursor": encode_cursor("43\x00")})
    body = assert_error(response, 422, "invalid")
    assert body["details"][0]["code"] == "invalid_cursor"
