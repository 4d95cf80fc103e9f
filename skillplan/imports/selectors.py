"""Reads of uploads. Like jobs, an upload is private to its owner (narrower than any region
scope): someone else's upload answers exactly like a missing one, Http404."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from skillplan.imports.models import ImportUpload


def upload_list(*, user: Any, kind: str | Iterable[str]) -> QuerySet[ImportUpload]:
    """The user's own uploads of ``kind`` (one kind, or several), newest first."""
    if user is None or not user.is_authenticated:
        return ImportUpload.objects.none()
    kinds = [kind] if isinstance(kind, str) else list(kind)
    return ImportUpload.objects.filter(owner=user, kind__in=kinds).order_by("-created_at")


def upload_get(*, user: Any, pk: uuid.UUID | str, kind: str | Iterable[str]) -> ImportUpload:
    try:
        return upload_list(user=user, kind=kind).select_related("check_job", "import_job").get(
            pk=pk)
    except (ImportUpload.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
