"""Pages: the inspections (过程检查) of a class, the form to record one, and evidence downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from skillplan.accounts import roles
from skillplan.core.errors import RuleError
from skillplan.training import selectors_during
from skillplan.training.forms_during import InspectionForm
from skillplan.training.models import TrainingClass
from skillplan.training.services import inspections as service
from skillplan.training.views.during import class_context, rule_field, scoped_class

ERROR_FIELDS = {
    "inspection_date": "inspected_on", "inspector_required": "inspector",
    "findings_required": "findings", "rating_invalid": "rating", "too_many_files": "files",
    "file_empty": "files", "file_too_large": "files", "file_type": "files",
}  # fmt: skip


def _max_mb() -> str:
    return f"{service.max_bytes() / 1024 / 1024:g}"


def _new_form(request: HttpRequest, training_class: TrainingClass) -> InspectionForm:
    today = timezone.localdate()
    return InspectionForm(max_mb=_max_mb(), initial={
        "inspected_on": min(today, training_class.end_date),
        "inspector": getattr(request.user, "display_name", ""),
    })


def _record(request: HttpRequest, training_class: TrainingClass,
            form: InspectionForm) -> HttpResponse | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        service.inspection_record(
            actor=request.user, training_class=training_class,
            inspected_on=data["inspected_on"], inspector=data["inspector"],
            findings=data["findings"], rating=data["rating"], files=data["files"])
    except RuleError as error:
        form.add_error(rule_field(error, ERROR_FIELDS, form), error.message)
        return None
    messages.success(request, _("The inspection is recorded."))
    return redirect("training:inspections", pk=training_class.pk)


@login_required
@permission_required(roles.VIEW_CLASS, raise_exception=True)
def inspections(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = scoped_class(request, pk)
    can_inspect = training_class.can_inspect(request.user)
    form = None
    if request.method == "POST":
        if not can_inspect:
            raise PermissionDenied
        form = InspectionForm(request.POST, request.FILES, max_mb=_max_mb())
        done = _record(request, training_class, form)
        if done is not None:
            return done
    elif can_inspect:
        form = _new_form(request, training_class)
    return render(request, "training/inspections.html", {
        **class_context(request, training_class), "form": form,
        "inspections": selectors_during.inspections_of(training_class),
    })


@login_required
@permission_required(roles.VIEW_CLASS, raise_exception=True)
@require_GET
@never_cache
def inspection_file(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, always as a download (never shown inline), to whoever may see the
    class (its assigned evaluator included)."""
    attachment = selectors_during.attachment_get(user=request.user, pk=pk)
    path = service.attachment_path(attachment)
    if not path.is_file():
        raise Http404
    service.attachment_downloaded(actor=request.user, attachment=attachment)
    response = FileResponse(path.open("rb"), as_attachment=True,
                            filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
