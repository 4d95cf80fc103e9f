"""One error shape for every failure, with field details for invalid input."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from skillplan.core.errors import ConcurrentUpdateError

from .conftest import assert_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("limit", "code"), [("abc", "not_integer"), ("1000", "too_large"),
                                             ("0", "too_small")])
def test_bad_limit_is_a_validation_error_naming_the_field(api_for, limit, code):
    body = assert_error(api_for("demo_province").get("/api/v1/users", {"limit": limit}), 422,
                        "invalid")
    assert len(body["details"]) == 1
    detail = body["details"][0]
    assert detail["field"] == "limit"
    assert detail["code"] == code
    assert detail["message"]


def test_every_invalid_field_is_listed(api_for):
    response = api_for("demo_province").get("/api/v1/users", {"limit": "x", "role": "boss"})
    body = assert_error(response, 422, "invalid")
    assert {(d["field"], d["code"]) for d in body["details"]} == {
        ("limit", "not_integer"), ("role", "invalid_choice")
    }


def test_tampered_cursor_is_a_validation_error(api_for):
    body = assert_error(api_for("demo_province").get("/api/v1/users", {"cursor": "%%%"}), 422,
                        "invalid")
    assert body["details"][0]["field"] == "cursor"
    assert body["details"][0]["code"] == "invalid_cursor"


def test_unexpected_error_is_logged_and_hides_the_traceback(api_for, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("skillplan.accounts.apis.user_get", broken)
    response = api_for("demo_province").get("/api/v1/users/1")
    body = assert_error(response, 500, "server_error")
    assert b"secret internals" not in response.content
    assert b"Traceback" not in response.content
    reference = re.search(r"[0-9a-f]{12}", body["message"]).group()
    assert reference in caplog.text and "secret internals" in caplog.text


def test_stale_version_is_a_conflict(api_for, monkeypatch):
    def stale(**kwargs):
        raise ConcurrentUpdateError()

    monkeypatch.setattr("skillplan.accounts.apis.user_get", stale)
    assert_error(api_for("demo_province").get("/api/v1/users/1"), 409, "stale_version")


def test_django_validation_error_lists_fields(api_for, monkeypatch):
    def invalid(**kwargs):
        raise ValidationError({"phone": [ValidationError("Bad phone", code="phone_format")]})

    monkeypatch.setattr("skillplan.accounts.apis.user_get", invalid)
    body = assert_error(api_for("demo_province").get("/api/v1/users/1"), 422, "invalid")
    assert body["details"] == [{"field": "phone", "code": "phone_format", "message": "Bad phone"}]


def test_messages_follow_accept_language(api_for):
    api = api_for("demo_province")
    response = api.get("/api/v1/users", {"limit": "abc"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en"
    assert response.json()["details"][0]["message"] == "Enter a whole number, for example 50."
