"""Authentication with permissions answered from the user's role (``roles.py``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from skillplan.accounts.roles import permissions_for


class RoleBackend(ModelBackend):
    """Password authentication as Django's, permissions from the role table, not the DB.

    ``is_superuser`` adds no permission: a superuser has exactly their role's permissions
    (no reveal, no audit trail unless the role has them). ``is_staff`` still opens the Django
    admin site (support only); a model registered there needs its permission in ``roles.py``.
    """

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(permissions_for(user_obj.role))

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return self.get_all_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)
