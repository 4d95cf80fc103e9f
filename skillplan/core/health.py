"""What /healthz says about the background task worker, read from the task queue itself."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Case, F, Max, Min, When
from django.utils import timezone

STALL_AFTER = timedelta(minutes=2)


def worker_state() -> dict[str, Any]:
    """ok: nothing waits too long; stalled: a ready task has waited over two minutes.

    The database backend keeps no worker heartbeat, so the queue is the evidence: a worker that
    runs picks ready tasks within seconds.
    """
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db"):
        return {"status": "ok", "backend": backend, "detail": "tasks run in-process"}
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    ready = DBTaskResult.objects.ready()
    # A task to run at once is stored with run_after = the far future (get_date_max()); it has
    # been waiting since it was enqueued. A deferred task has been waiting since its run_after.
    waiting = ready.aggregate(
        oldest=Min(Case(When(run_after=get_date_max(), then=F("enqueued_at")),
                        default=F("run_after")))
    )["oldest"]
    last_finished = DBTaskResult.objects.aggregate(last=Max("finished_at"))["last"]
    waited = (now - waiting) if waiting else timedelta(0)
    return {
        "status": "stalled" if waited > STALL_AFTER else "ok",
        "backend": backend,
        "queued": ready.count(),
        "oldest_wait_seconds": int(waited.total_seconds()),
        "last_finished_at": last_finished.isoformat() if last_finished else None,
    }
