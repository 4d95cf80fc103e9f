"""Excel exports of the user directory, run as background jobs (kind ``accounts.users_export``).

The export re-runs the same scoped selector as the list page, with the job OWNER as the user,
at run time: whoever starts an export gets exactly the users they may see when it runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from skillplan.accounts.models import User
from skillplan.accounts.selectors import UserFilters, user_list
from skillplan.audit.services import audit_record
from skillplan.core.excel import write_xlsx
from skillplan.jobs.models import Job
from skillplan.jobs.services import job_finish, job_progress

KIND = "accounts.users_export"
PROGRESS_EVERY = 500
EXPORTS_DIR = "exports"


def _headers() -> list[str]:
    return [_("User name"), _("Full name"), _("Role"), _("Region"), _("Training provider"),
            _("Status"), _("Last sign-in")]


def _row(user: User) -> list[Any]:
    return [
        user.username,
        user.full_name,
        user.get_role_display(),
        str(user.region) if user.region_id else "",
        user.provider.name if user.provider_id else "",
        _("Active") if user.is_active else _("Deactivated"),
        user.last_login,
    ]


def _rows(job: Job, users: Any, total: int) -> Iterator[list[Any]]:
    for done, user in enumerate(users.iterator(chunk_size=PROGRESS_EVERY), start=1):
        yield _row(user)
        if done % PROGRESS_EVERY == 0:
            job_progress(
                job, percent=min(99, done * 100 // max(total, 1)),
                message=_("%(done)s of %(total)s users written") % {"done": done, "total": total},
            )


def export_users(job: Job) -> None:
    """Write the owner's scoped, filtered user list to FILES_DIR/exports/<job id>.xlsx."""
    params = {key: str(job.params.get(key, "")) for key in ("q", "role", "active")}
    with translation.override(settings.LANGUAGE_CODE):
        users = user_list(user=job.owner, filters=UserFilters(**params))
        total = users.count()
        relative = f"{EXPORTS_DIR}/{job.pk}.xlsx"
        target = Path(settings.FILES_DIR) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        rows = write_xlsx(partial, sheet_title=_("Users"), headers=_headers(),
                          rows=_rows(job, users, total), text_columns=(0,))
        os.replace(partial, target)  # a retried job overwrites; a reader never sees half a file
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        with transaction.atomic():
            job_finish(job, result={"rows": rows}, result_file=relative,
                       result_filename=f"users-{stamp}.xlsx",
                       message=_("%(count)s users exported.") % {"count": rows})
            audit_record(actor=job.owner, event="users.exported", target=job,
                         region_code=job.region_code, after={"rows": rows, "filters": params})
