"""The single place that turns a user into what they may see and change.

Every selector passes its queryset through :func:`restrict`. A model says which of its fields
carry the region code, the provider and the owning user with ``scope_fields``; the user's reach
(a permission from ``roles.py``) says which of them applies. Outside scope and missing look the
same to callers: selectors raise ``Http404`` for both.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from skillplan.accounts import roles

M = TypeVar("M", bound=Model)


class Reach(StrEnum):
    PROVINCE = "province"
    REGION = "region"
    PROVIDER = "provider"
    ASSIGNED = "assigned"
    OWN = "own"
    NONE = "none"


@dataclass(frozen=True)
class ScopeFields:
    """Field paths (Django lookups) by which a model is scoped; None where it has no such link.

    ``region`` holds a region *code* and is matched by prefix (4301 covers 430102 and its
    townships); ``provider`` a provider id; ``owner`` a user id.
    """

    region: str | None = None
    provider: str | None = None
    owner: str | None = None


@dataclass(frozen=True)
class Scope:
    reach: Reach
    region_code: str = ""
    provider_id: int | None = None
    user_id: int | None = None

    def covers_region(self, code: str | None) -> bool:
        """May this user act on a record of region ``code``?"""
        if self.reach in (Reach.PROVINCE, Reach.REGION):
            return bool(code) and str(code).startswith(self.region_code)
        return False

    def region_q(self, field: str) -> Q:
        return Q(**{f"{field}__startswith": self.region_code})


_NO_SCOPE = Scope(Reach.NONE)


def scope_of(user: Any) -> Scope:
    """The reach of ``user``; a user without a valid region or provider reaches nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return _NO_SCOPE
    region_code = user.region.code if getattr(user, "region_id", None) else ""
    if user.has_perm(roles.REACH_PROVINCE):
        return Scope(
            Reach.PROVINCE, region_code=region_code or settings.SKILLPLAN_PROVINCE_CODE,
            user_id=user.pk,
        )
    if user.has_perm(roles.REACH_REGION) and region_code:
        return Scope(Reach.REGION, region_code=region_code, user_id=user.pk)
    if user.has_perm(roles.REACH_PROVIDER) and user.provider_id:
        return Scope(Reach.PROVIDER, provider_id=user.provider_id, user_id=user.pk)
    if user.has_perm(roles.REACH_ASSIGNED):
        return Scope(Reach.ASSIGNED, user_id=user.pk)
    if user.has_perm(roles.REACH_OWN):
        return Scope(Reach.OWN, user_id=user.pk)
    return _NO_SCOPE


def scope_filter(model: type[Model], scope: Scope) -> Q | None:
    """The filter that keeps what ``scope`` may see of ``model``; None means nothing."""
    fields: ScopeFields = getattr(model, "scope_fields", ScopeFields())
    if scope.reach in (Reach.PROVINCE, Reach.REGION):
        if fields.region:
            return scope.region_q(fields.region)
        return Q() if scope.reach == Reach.PROVINCE else None
    if scope.reach == Reach.PROVIDER and fields.provider:
        return Q(**{fields.provider: scope.provider_id})
    if scope.reach in (Reach.OWN, Reach.ASSIGNED) and fields.owner:
        return Q(**{fields.owner: scope.user_id})
    return None


def restrict(queryset: QuerySet[M], user: Any, *, permission: str) -> QuerySet[M]:
    """``queryset`` cut down to what ``user`` may see with ``permission``."""
    if not user.is_authenticated or not user.has_perm(permission):
        return queryset.none()
    condition = scope_filter(queryset.model, scope_of(user))
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def get_in_scope(queryset: QuerySet[M], user: Any, *, permission: str, **lookup: Any) -> M:
    """One record in scope, or Http404 — the same answer as for a record that does not exist."""
    try:
        return restrict(queryset, user, permission=permission).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def can_act_on_region(user: Any, code: str | None, *, permission: str) -> bool:
    """May ``user`` create or change a record of region ``code`` with ``permission``?"""
    return bool(user.is_authenticated and user.has_perm(permission)) and scope_of(
        user
    ).covers_region(code)
