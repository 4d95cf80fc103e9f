"""Registry of job handlers: ``kind`` → function(job). Apps register theirs in ready()."""

from __future__ import annotations

from collections.abc import Callable

from skillplan.jobs.models import Job

Handler = Callable[[Job], None]
_HANDLERS: dict[str, Handler] = {}


def register(kind: str, handler: Handler) -> None:
    _HANDLERS[kind] = handler


def run(job: Job) -> None:
    _HANDLERS[job.kind](job)
