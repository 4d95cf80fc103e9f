"""The request a service runs in (client IP), for audit rows, without passing it everywhere."""

from __future__ import annotations

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("skillplan_current_ip", default=None)
