"""At most ``SKILLPLAN_VERIFY_PER_MINUTE`` public certificate checks per IP address in any
60 seconds (the page and the public API share the budget). No CAPTCHA: the limit alone makes
guessing numbers and names slow.

The times of the checks answered in the last minute are kept per address in Django's cache (a
sliding window, so no burst at the turn of a minute gets through). The cache must be shared by
all web processes for the limit to hold across them (a database or Redis cache in production;
the default in-process cache counts per process). Two checks arriving at the very same instant
from one address may both pass; the limit stays within a check or two of its figure.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from skillplan.audit.middleware import client_ip

WINDOW_SECONDS = 60


def _now() -> float:
    return time.time()


def limit_per_minute() -> int:
    return int(getattr(settings, "SKILLPLAN_VERIFY_PER_MINUTE", 10))


def _key(request: HttpRequest) -> str:
    return f"certificates.verify:{client_ip(request) or 'unknown'}"


def verify_check_allowed(request: HttpRequest) -> tuple[bool, int]:
    """Count one check from the request's address: (allowed, seconds to wait if not)."""
    key, now = _key(request), _now()
    recent = [at for at in cache.get(key, []) if now - at < WINDOW_SECONDS]
    if len(recent) >= limit_per_minute():
        cache.set(key, recent, WINDOW_SECONDS)
        return False, max(1, int(WINDOW_SECONDS - (now - min(recent))) + 1)
    recent.append(now)
    cache.set(key, recent, WINDOW_SECONDS)
    return True, 0
