"""API: who am I, and the user directory (scoped like the directory pages)."""
# No `from __future__ import annotations`: django-ninja reads the annotations of paginated
# operations at import time through a wrapper whose globals are not this module's.

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema

from skillplan.accounts import roles
from skillplan.accounts.models import User
from skillplan.accounts.roles import Role
from skillplan.accounts.selectors import UserFilters, user_get, user_list
from skillplan.api.auth import require
from skillplan.api.errors import error_responses
from skillplan.api.pagination import cursor_paginate
from skillplan.api.validators import QueryText

router = Router(tags=["accounts"])


class ProviderRef(Schema):
    id: int
    name: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    role_label: str
    region_code: str
    provider: ProviderRef | None
    permissions: list[str]


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    region_code: str
    provider_id: int | None
    is_active: bool


@router.get("/me", response={200: MeOut, **error_responses(403)}, summary="The token's user",
            url_name="accounts_me")
def me(request: HttpRequest) -> MeOut:
    user: User = request.user  # type: ignore[assignment]
    provider = user.provider
    return MeOut(
        id=user.pk,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        role_label=str(user.get_role_display()),  # type: ignore[attr-defined]
        region_code=user.region_code,
        provider=ProviderRef(id=provider.pk, name=provider.name) if provider else None,
        permissions=sorted(user.get_all_permissions()),
    )


@router.get("/users", response={200: list[UserOut], **error_responses(403, 422)},
            summary="Users in your area", url_name="accounts_user_list")
@cursor_paginate(key="id")
def users(
    request: HttpRequest,
    q: QueryText = Query("", description="part of the username or full name"),  # noqa: B008 (ninja parameter)
    role: Role | None = None,
    region: QueryText = Query("", description="region code; includes the regions under it"),  # noqa: B008 (ninja parameter)
    active: bool | None = None,
) -> QuerySet[User]:
    require(request, roles.VIEW_DIRECTORY)
    filters = UserFilters(
        q=q.strip(),
        role=role.value if role else "",
        region_code=region.strip(),
        active="" if active is None else ("yes" if active else "no"),
    )
    return user_list(user=request.user, filters=filters)  # type: ignore[arg-type]


@router.get("/users/{int:user_id}", response={200: UserOut, **error_responses(403, 404)},
            summary="One user in your area", url_name="accounts_user_detail")
def user_detail(request: HttpRequest, user_id: int) -> User:
    require(request, roles.VIEW_DIRECTORY)
    return user_get(user=request.user, pk=user_id)  # type: ignore[arg-type]
