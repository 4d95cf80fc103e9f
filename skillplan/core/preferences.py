"""High-contrast and large-text switches, kept in a long-lived cookie so they stay set."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

COOKIE = "skillplan_display"
OPTIONS = ("contrast", "large-text")


def display_preferences(request: HttpRequest) -> dict[str, bool]:
    chosen = set(request.COOKIES.get(COOKIE, "").split("."))
    return {option.replace("-", "_"): option in chosen for option in OPTIONS}


def store_display_preferences(response: HttpResponse, *, contrast: bool, large_text: bool) -> None:
    chosen = [name for name, on in (("contrast", contrast), ("large-text", large_text)) if on]
    response.set_cookie(
        COOKIE, ".".join(chosen), max_age=5 * 365 * 24 * 3600, samesite="Lax", httponly=True
    )
