"""Scoped reads of users and tokens."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from skillplan.accounts import roles
from skillplan.accounts.models import ApiToken, User
from skillplan.accounts.scoping import get_in_scope, restrict


@dataclass(frozen=True)
class UserFilters:
    q: str = ""
    role: str = ""
    region_code: str = ""
    active: str = ""  # "", "yes", "no"


def user_list(*, user: User, filters: UserFilters | None = None) -> QuerySet[User]:
    filters = filters or UserFilters()
    users = restrict(
        User.objects.select_related("region", "provider"), user, permission=roles.VIEW_DIRECTORY
    )
    if filters.q:
        users = users.filter(
            Q(username__icontains=filters.q) | Q(full_name__icontains=filters.q)
        )
    if filters.role:
        users = users.filter(role=filters.role)
    if filters.region_code:
        users = users.filter(region__code__startswith=filters.region_code)
    if filters.active in ("yes", "no"):
        users = users.filter(is_active=filters.active == "yes")
    return users.order_by("username")


def user_get(*, user: User, pk: int) -> User:
    return get_in_scope(
        User.objects.select_related("region", "provider"),
        user,
        permission=roles.VIEW_DIRECTORY,
        pk=pk,
    )


def user_get_for_change(*, user: User, pk: int, permission: str) -> User:
    """A user the actor may change with ``permission`` (404 outside their scope)."""
    return get_in_scope(
        User.objects.select_related("region", "provider"), user, permission=permission, pk=pk
    )


def token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)
