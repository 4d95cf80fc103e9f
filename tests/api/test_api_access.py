"""Who may use the API at all: tokens only, active accounts only, no trainees."""

from __future__ import annotations

import pytest
from django.test import Client

from skillplan.accounts.models import ApiToken, User
from skillplan.accounts.tokens import token_revoke

from .conftest import assert_error

pytestmark = pytest.mark.django_db


def test_openapi_schema_is_served_without_a_token():
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/me" in schema["paths"]
    assert "/api/v1/users" in schema["paths"]
    assert "/api/v1/regions/resolve" in schema["paths"]
    assert "/api/v1/audit/events" in schema["paths"]
    assert "bearer" in str(schema["components"]["securitySchemes"]).lower()


def test_docs_page_is_served_without_a_token():
    response = Client().get("/api/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_no_token_is_unauthenticated_in_the_error_contract():
    body = assert_error(Client().get("/api/v1/me"), 401, "unauthenticated")
    assert body["details"] == []


def test_wrong_token_is_unauthenticated():
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer sp_not-a-real-token")
    assert_error(response, 401, "unauthenticated")


def test_unknown_scheme_is_unauthenticated(api_for):
    api = api_for("demo_province")
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Basic {api.token}")
    assert_error(response, 401, "unauthenticated")


def test_token_scheme_is_accepted_as_well_as_bearer(api_for):
    api = api_for("demo_province")
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {api.token}")
    assert response.status_code == 200
    assert response.json()["username"] == "demo_province"


def test_revoked_token_is_unauthenticated(api_for, persona):
    api = api_for("demo_province")
    assert api.get("/api/v1/me").status_code == 200
    token = ApiToken.objects.get(prefix=api.token[:8], user__username="demo_province")
    token_revoke(user=persona("demo_province"), pk=token.pk)
    assert_error(api.get("/api/v1/me"), 401, "unauthenticated")


def test_token_of_a_disabled_account_is_unauthenticated(api_for):
    api = api_for("demo_county_furong")
    User.objects.filter(username="demo_county_furong").update(is_active=False)
    assert_error(api.get("/api/v1/me"), 401, "unauthenticated")


def test_signed_in_browser_session_is_not_enough(client_for):
    assert_error(client_for("demo_province").get("/api/v1/me"), 401, "unauthenticated")


def test_trainee_token_is_forbidden(api_for):
    api = api_for("demo_trainee")
    body = assert_error(api.get("/api/v1/me"), 403, "forbidden")
    assert "API" in body["message"]
    assert_error(api.get("/api/v1/regions"), 403, "forbidden")


def test_me_describes_the_token_user(api_for):
    body = api_for("demo_provider").get("/api/v1/me").json()
    assert body["username"] == "demo_provider"
    assert body["full_name"] == "阳光培训学校 赵老师"
    assert body["role"] == "provider"
    assert body["region_code"] == "430102"
    assert body["provider"]["name"] == "长沙市芙蓉区阳光职业技能培训学校"
    assert "accounts.use_api" in body["permissions"]
    assert "accounts.view_directory" not in body["permissions"]


def test_unknown_api_address_answers_in_the_error_contract(api_for):
    assert_error(api_for("demo_province").get("/api/v1/nothing-here"), 404, "not_found")
