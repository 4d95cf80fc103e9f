"""API clients: a Django test client that sends a persona's personal API token."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from skillplan.accounts.models import User
from skillplan.accounts.tokens import token_create


class TokenClient:
    """GETs with ``Authorization: Bearer <token>``; ``.token`` is the raw token."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.client = Client()

    def get(self, path: str, data: dict[str, Any] | None = None, **extra: Any) -> Any:
        extra.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.token}")
        return self.client.get(path, data or {}, **extra)


@pytest.fixture
def api_for(db: Any) -> Callable[[str], TokenClient]:
    """``api_for("demo_county_furong")`` → a client holding a fresh token of that persona."""

    def make(username: str) -> TokenClient:
        user = User.objects.get(username=username)
        return TokenClient(token_create(user=user, name="tests"))

    return make


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is an error in the one contract; returns its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["details"], list)
    return body
