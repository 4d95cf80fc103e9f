from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from skillplan.audit.context import current_ip


def _valid_ip(value: str | None) -> str | None:
    """``value`` as a normalised IP address, or None when it is not one."""
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. With ``SKILLPLAN_TRUSTED_PROXIES = N`` (proxies in front of the
    app, each appending to X-Forwarded-For) it is the N-th entry from the right: entries further
    left were written by the client and prove nothing. A missing or non-IP entry falls back to
    REMOTE_ADDR."""
    remote = _valid_ip(request.META.get("REMOTE_ADDR"))
    hops = getattr(settings, "SKILLPLAN_TRUSTED_PROXIES", 0)
    if hops > 0:
        entries = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(entries) >= hops:
            return _valid_ip(entries[-hops]) or remote
    return remote


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
