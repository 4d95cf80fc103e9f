"""Pages: the completion results of a class (one row per trainee), their timeliness, and the
results export. (The list of classes with late results is ``training:late``.)"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillplan.accounts import roles
from skillplan.core.errors import RuleError
from skillplan.training import exports_during, selectors_during
from skillplan.training.forms_during import ResultRowForm, result_initial
from skillplan.training.models import Enrolment, TrainingClass
from skillplan.training.services.results import class_timeliness, results_record
from skillplan.training.views.during import class_context, rule_field, scoped_class

ERROR_FIELDS = {
    "passed_required": "passed", "score_range": "score", "attendance_range": "attendance_days",
    "certificate_format": "certificate_number", "certificate_duplicate": "certificate_number",
    "certificate_not_passed": "certificate_number",
}  # fmt: skip


class _Rollback(Exception):
    """Some row was refused: undo the rows already saved in this request."""


def _forms(request: HttpRequest, training_class: TrainingClass,
           enrolments: list[Enrolment]) -> list[ResultRowForm]:
    attended = selectors_during.attended_days(training_class)
    data = request.POST if request.method == "POST" else None
    return [ResultRowForm(data, enrolment=e, training_class=training_class,
                          initial=result_initial(e, attended.get(e.pk), training_class.days))
            for e in enrolments]


def _save(request: HttpRequest, forms: list[ResultRowForm]) -> bool:
    """Every row through ``results_record`` in one transaction, all or nothing. Rows that
    parse are checked by the service even when another row is wrong, so that every problem
    is shown at once."""
    refused = not all([form.is_valid() for form in forms])
    try:
        with transaction.atomic():
            for form in forms:
                if form.errors:
                    continue
                try:
                    with transaction.atomic():
                        results_record(actor=request.user, enrolment=form.enrolment,
                                       **form.values())
                except RuleError as error:
                    form.add_error(rule_field(error, ERROR_FIELDS, form), error.message)
                    refused = True
            if refused:
                raise _Rollback
    except _Rollback:
        return False
    return True


def _errors(forms: list[ResultRowForm]) -> list[dict[str, str]]:
    """The error summary: one link per problem, to the control it is about."""
    found = []
    for form in forms:
        for error in form.non_field_errors():
            found.append({"href": f"#row-{form.enrolment.pk}",
                          "text": f"{form.enrolment.display_name}：{error}"})
        for field in form:
            for error in field.errors:
                found.append({"href": f"#{field.auto_id}", "text": f"{field.label}：{error}"})
    return found


@login_required
@permission_required(roles.VIEW_CLASS, raise_exception=True)
def results(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = scoped_class(request, pk)
    can_enter = training_class.can_enter_results(request.user)
    if request.method == "POST" and not can_enter:
        raise PermissionDenied
    enrolments = list(selectors_during.active_enrolments(training_class))
    forms = _forms(request, training_class, enrolments) if can_enter else []
    if request.method == "POST" and _save(request, forms):
        messages.success(request, _("Results saved."))
        return redirect("training:results", pk=training_class.pk)
    return render(request, "training/results.html", {
        **class_context(request, training_class), "forms": forms, "enrolments": enrolments,
        "errors": _errors(forms), "timeliness": class_timeliness(training_class),
        "can_enter": can_enter,
        "missing": sum(1 for e in enrolments if not e.has_results),
    })


@login_required
@permission_required(roles.EXPORT_CLASSES, raise_exception=True)
@require_POST
def results_export(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = scoped_class(request, pk)
    job = exports_during.results_export_start(actor=request.user,
                                              training_class=training_class)
    return redirect("jobs:detail", pk=job.pk)
