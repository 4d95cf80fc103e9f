"""Idle timeout (30 minutes by default) and the two-factor gate for staff who need it."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

BACKGROUND_HEADER = "HTTP_X_SKILLPLAN_BACKGROUND"
LAST_ACTIVITY = "skillplan_last_activity"
TWO_FACTOR_SETUP_REQUIRED = "skillplan_2fa_setup_required"


def _is_exempt(path: str) -> bool:
    return path.startswith((settings.STATIC_URL, "/healthz", "/api/"))


class IdleTimeoutMiddleware:
    """Ends a session idle longer than SKILLPLAN_IDLE_TIMEOUT. Background polling (progress bars)
    sends X-Skillplan-Background and does not count as activity."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _is_exempt(request.path) or not request.user.is_authenticated:
            return self.get_response(request)
        now = int(time.time())
        last = request.session.get(LAST_ACTIVITY, now)
        if now - last > settings.SKILLPLAN_IDLE_TIMEOUT:
            logout(request)  # the login page explains why (?timeout=1)
            login_url = reverse("accounts:login") + "?timeout=1"
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=401)
                response["HX-Redirect"] = login_url
                return response
            return redirect(f"{login_url}&next={quote(request.get_full_path())}")
        if not request.META.get(BACKGROUND_HEADER):
            request.session[LAST_ACTIVITY] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """Staff whose role requires TOTP and who have not set it up can only reach the set-up page."""

    ALLOWED = ("accounts:two_factor_setup", "accounts:logout", "accounts:keep_alive")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and request.session.get(TWO_FACTOR_SETUP_REQUIRED)
            and not _is_exempt(request.path)
            and request.path not in {reverse(name) for name in self.ALLOWED}
            and not request.path.startswith("/i18n/")
            and not request.path.startswith("/preferences/")
        ):
            if request.headers.get("Accept", "").startswith("application/json"):
                return JsonResponse({"code": "two_factor_required"}, status=403)
            return redirect("accounts:two_factor_setup")
        return self.get_response(request)
