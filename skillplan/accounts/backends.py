"""Authentication with permissions answered from the user's role (``roles.py``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from skillplan.accounts.roles import permissions_for


class RoleBackend(ModelBackend):
    """Password authentication as Django's, permissions from the role table, not the DB."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(permissions_for(user_obj.role))

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return self.get_all_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if user_obj.is_active and user_obj.is_superuser and not perm.startswith(
            "accounts.reach_"
        ):
            return True
        return perm in self.get_all_permissions(user_obj, obj)
