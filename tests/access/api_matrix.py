"""Access rules of the JSON API (token authentication). Filled in with the API routes."""

from __future__ import annotations

from tests.access.matrix import Route

API_ROUTES: list[Route] = []
