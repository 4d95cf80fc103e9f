"""What every page's shell needs: navigation, display preferences, idle-timeout timings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from skillplan.core import navigation
from skillplan.core.preferences import display_preferences


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    current = request.path
    nav = navigation.items_for(user) if signed_in else []
    for item in nav:
        item["current"] = "page" if item["url"] == current else ""
    return {
        "platform_name": settings.SKILLPLAN_PLATFORM_NAME,
        "nav_items": nav,
        "display": display_preferences(request),
        "idle_timeout": settings.SKILLPLAN_IDLE_TIMEOUT if signed_in else 0,
        "idle_warning": settings.SKILLPLAN_IDLE_WARNING,
    }
