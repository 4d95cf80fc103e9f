"""Cursor (keyset) pagination for API lists, without COUNT(*).

A list is ordered by one unique key (``"id"``, ``"-seq"``, ``"code"``); the cursor is the
base64 of the last key value of a page, and the next page starts after it. The cost of a page
does not grow with the table or the page number, and rows added meanwhile do not shift pages.

Use on an operation that returns a queryset::

    @router.get("/users", response={200: list[UserOut], **error_responses(403, 422)})
    @cursor_paginate(key="id")
    def users(request, ...): return user_list(...)

Answer: ``{"items": [...], "next_cursor": "..." | null}``; query: ``cursor``, ``limit``
(default 50, at most 200). :func:`cursor_page` does the same for callers outside ninja.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.pagination import PaginationBase, paginate

from skillplan.api.validators import has_control_character

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def encode_cursor(value: Any) -> str:
    raw = json.dumps([value], separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _invalid_cursor() -> ValidationError:
    message = _("This cursor is not valid. Use the next_cursor of the previous page as it is.")
    return ValidationError([{
        "loc": ("query", "cursor"), "type": "invalid_cursor", "msg": "Invalid cursor",
        "code": "invalid_cursor", "message": message,
    }])


def decode_cursor(cursor: str) -> Any:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        (value,) = json.loads(raw)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise _invalid_cursor() from exc
    if not isinstance(value, int | str) or isinstance(value, bool):
        raise _invalid_cursor()
    if isinstance(value, str) and has_control_character(value):  # NUL: error on PostgreSQL
        raise _invalid_cursor()
    return value


def cursor_page(queryset: QuerySet, *, key: str, cursor: str | None, limit: int) -> dict:
    """One page of ``queryset`` ordered by the unique field ``key`` (``-`` for descending)."""
    field = key.removeprefix("-")
    rows = queryset.order_by(key)
    if cursor:
        lookup = f"{field}__lt" if key.startswith("-") else f"{field}__gt"
        try:
            rows = rows.filter(**{lookup: decode_cursor(cursor)})
        except (ValueError, TypeError, DjangoValidationError) as exc:
            raise _invalid_cursor() from exc
    page = list(rows[: limit + 1])
    next_cursor = encode_cursor(getattr(page[limit - 1], field)) if len(page) > limit else None
    return {"items": page[:limit], "next_cursor": next_cursor}


class CursorPagination(PaginationBase):
    """django-ninja paginator answering ``{"items", "next_cursor"}``; see the module doc."""

    class Input(Schema):
        cursor: str | None = Field(
            None, description="next_cursor of the previous page; leave out for the first page"
        )
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="rows per page")

    class Output(Schema):
        items: list[Any]
        next_cursor: str | None

    def __init__(self, *, key: str = "id", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.key = key

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict:
        return cursor_page(queryset, key=self.key, cursor=pagination.cursor,
                           limit=pagination.limit)


def cursor_paginate(*, key: str = "id") -> Callable[[Callable[..., Any]], Any]:
    """Decorator: paginate the queryset an operation returns by the unique field ``key``."""
    return paginate(CursorPagination, key=key)
