"""An uploaded import file: who sent it, where it is kept, what the check found."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.accounts.scoping import ScopeFields


class UploadStatus(models.TextChoices):
    CHECKING = "checking", _("Being checked")
    READY = "ready", _("Checked, waiting for your confirmation")
    REFUSED = "refused", _("Refused")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ImportUpload(models.Model):
    """The file is kept under FILES_DIR/uploads (never the web root) and is private to its
    owner; ``summary`` holds the dry run's counts and first errors, ``result`` the import's,
    ``options`` what the file is for beyond its kind (a class, for a class roster)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE,
        related_name="import_uploads",
    )
    kind = models.CharField(_("kind"), max_length=32)
    # What the file is for beyond its kind, e.g. {"class": 12} for a roster uploaded on a
    # class's page; handed to the template (``configure``) for the check and the import.
    options = models.JSONField(_("options"), default=dict, blank=True)
    original_filename = models.CharField(_("file name"), max_length=255)
    stored_path = models.CharField(_("stored file"), max_length=300)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(
        _("status"), max_length=16, choices=UploadStatus.choices, default=UploadStatus.CHECKING
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    summary = models.JSONField(_("check summary"), default=dict, blank=True)
    result = models.JSONField(_("import result"), default=dict, blank=True)
    report_file = models.CharField(_("error report"), max_length=300, blank=True)
    check_job = models.ForeignKey(
        "jobs.Job", verbose_name=_("check job"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    import_job = models.ForeignKey(
        "jobs.Job", verbose_name=_("import job"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    scope_fields = ScopeFields(owner="owner_id")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import upload")
        verbose_name_plural = _("import uploads")

    def __str__(self) -> str:
        return self.original_filename

    @property
    def is_checking(self) -> bool:
        return self.status == UploadStatus.CHECKING
