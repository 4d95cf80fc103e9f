"""Reads of background jobs.

Jobs are private to their owner: a job's parameters and its file are what *that* user asked
for, evaluated in *their* scope, so nobody else sees them — not even a province administrator
whose region scope covers the owner. That is narrower than any region scope, so these selectors
filter by owner instead of going through ``accounts.scoping.restrict`` (whose region reach would
widen it). A job of someone else answers exactly like a missing job: Http404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from skillplan.jobs.models import Job


def job_list(*, user: Any) -> QuerySet[Job]:
    """The signed-in user's own jobs, newest first; nothing for anyone signed out."""
    if user is None or not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(owner=user).order_by("-created_at")


def job_get(*, user: Any, pk: uuid.UUID | str) -> Job:
    """One of the user's own jobs, or Http404 (someone else's job looks missing)."""
    try:
        return job_list(user=user).get(pk=pk)
    except (Job.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
