"""Role-aware navigation: apps register their entries; the shell shows what a user may open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    order: int
    allowed: Callable[[Any], bool]


_ITEMS: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _ITEMS[item.url_name] = item


def items_for(user: Any) -> list[dict[str, str]]:
    visible = sorted(
        (item for item in _ITEMS.values() if item.allowed(user)), key=lambda item: item.order
    )
    return [{"label": str(item.label), "url": reverse(item.url_name)} for item in visible]


def all_items() -> list[NavItem]:
    return sorted(_ITEMS.values(), key=lambda item: item.order)
