"""Token authentication for the API (systems, not browsers: no session cookies).

``Authorization: Bearer sp_…`` or ``Authorization: Token sp_…``. The token's user becomes
``request.user``, so every selector scopes the answer exactly as it would for that user's pages.
A token of a disabled account, a revoked or an unknown token gives 401; a user whose role may
not use the API (trainees) gets 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from skillplan.accounts import roles
from skillplan.accounts.models import User
from skillplan.accounts.tokens import token_user


class ApiTokenAuth(HttpBearer):
    schemes = ("bearer", "token")

    def __call__(self, request: HttpRequest) -> Any:
        scheme, _sep, raw = request.headers.get(self.header, "").strip().partition(" ")
        if scheme.lower() not in self.schemes or not raw.strip():
            return None
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_user(token)
        if user is None or not user.is_active:
            return None
        request.user = user
        if not user.has_perm(roles.USE_API):
            raise PermissionDenied(
                _(
                    "Your role may not use the API. If a system of yours needs access, ask "
                    "the platform's system administrator for a staff account."
                )
            )
        return user


def require(request: HttpRequest, permission: str) -> None:
    """403 unless the token's user holds ``permission`` (before any scoped read)."""
    user: Any = request.user
    if not user.has_perm(permission):
        raise PermissionDenied
