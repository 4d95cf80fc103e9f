"""Every route is declared in the access matrix, and every persona gets what it declares."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from skillplan.accounts.models import User
from skillplan.accounts.tokens import token_create
from skillplan.audit.models import AuditEvent
from tests.access.matrix import (
    ADMIN_NAMESPACE,
    ANON,
    EVERYONE,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    UNAUTH,
    WEB_ROUTES,
)
from tests.access.urls import all_url_names

API_NAMESPACE = "api-1.0.0"
LOGIN_PATH = reverse("accounts:login")


def declared_names() -> set[str]:
    from tests.access.api_matrix import API_ROUTES

    return {route.name for route in WEB_ROUTES} | {route.name for route in API_ROUTES}


def test_every_route_is_declared():
    undeclared = sorted(
        name for name in all_url_names()
        if not name.startswith(f"{ADMIN_NAMESPACE}:") and name not in declared_names()
    )
    assert not undeclared, (
        "These views have no access rule in tests/access/matrix.py (or api_matrix.py): "
        + ", ".join(undeclared)
    )


def test_matrix_names_only_existing_routes():
    existing = set(all_url_names())
    stale = sorted(declared_names() - existing)
    assert not stale, f"matrix lists routes that no longer exist: {stale}"


def outcome_of(response) -> str:
    status = response.status_code
    if status in (200, 201, 204):
        return OK
    if status in (301, 302, 303):
        location = response["Location"]
        return LOGIN if location.startswith(LOGIN_PATH) and "timeout" not in location else OK
    return {401: UNAUTH, 403: FORBIDDEN, 404: NOT_FOUND}.get(status, f"status {status}")


def resolve(value: str, targets: dict) -> object:
    """``"@furong_person.pk"`` → that target's pk; other values as they are."""
    if isinstance(value, str) and value.startswith("@"):
        key, _, attribute = value[1:].partition(".")
        return targets[key][attribute]
    return value


def client_as(persona: str, *, auth: str = "session") -> Client:
    """A client for ``persona``: signed in (web), or carrying its API token (API)."""
    if persona == ANON:
        return Client()
    user = User.objects.get(username=persona)
    if auth == "token":
        return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user, name='matrix')}")
    client = Client()
    client.force_login(user)
    return client


def all_routes():
    from tests.access.api_matrix import API_ROUTES

    return [*WEB_ROUTES, *API_ROUTES]


CASES = [(route, persona) for route in all_routes() for persona in EVERYONE]
IDS = [f"{route.name}-{route.method}{f'-{route.args}' if route.args else ''}-{persona}"
       for route, persona in CASES]


@pytest.mark.parametrize(
    ("route", "persona"), CASES, ids=IDS
)
def test_route_answers_each_persona_as_declared(route, persona, access_targets):
    kwargs = access_targets[route.args] if route.args else {}
    url = reverse(route.name, kwargs=kwargs)
    client = client_as(persona, auth=route.auth)
    data = {key: resolve(value, access_targets) for key, value in route.data.items()}
    events_before = AuditEvent.objects.count()
    if route.method == "POST" and route.auth == "token":
        response = client.post(url, json.dumps(data), content_type="application/json",
                               headers=route.headers)
    elif route.method == "POST":
        response = client.post(url, data, headers=route.headers)
    else:
        response = client.get(url, data, headers=route.headers)
    expected = route.expected(persona)
    assert outcome_of(response) == expected, (
        f"{route.method} {url} as {persona}: expected {expected}, got {response.status_code}"
    )
    if expected in (FORBIDDEN, NOT_FOUND, LOGIN, UNAUTH):
        assert AuditEvent.objects.count() == events_before, "a refused request changed data"


@pytest.mark.parametrize("persona", [p for p in EVERYONE if p != ANON])
def test_django_admin_is_closed_to_every_persona(persona, db):
    response = client_as(persona).get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
