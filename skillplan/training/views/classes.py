"""Pages: the class list, "my classes", opening and changing a class, its page with the
timeline, the lifecycle steps (small POST forms), the late-results list and the export.

Thin: forms parse, ``services.classes`` and ``selectors`` decide. Every step answers with a
redirect to the class page and a message saying what happened, or why not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from skillplan.accounts import roles
from skillplan.audit.selectors import events_for_target
from skillplan.catalog.choices import Accommodation
from skillplan.core.errors import ConcurrentUpdateError, RuleError
from skillplan.training import selectors
from skillplan.training.choices import ClassStatus
from skillplan.training.exports import classes_export_start
from skillplan.training.forms import (
    CancelForm,
    ClassEditForm,
    ClassFilterForm,
    ClassForm,
    CommentForm,
    EvaluatorForm,
    ReturnForm,
    initial_of,
)
from skillplan.training.models import TrainingClass, approval_level
from skillplan.training.services import classes as services

PAGE_SIZE = 50

# The other parts of a class, each on pages of its own (other modules of this app).
PART_LINKS = (
    ("training:roster", gettext_lazy("Roster (enrolled trainees)")),
    ("training:attendance", gettext_lazy("Attendance")),
    ("training:inspections", gettext_lazy("Inspections (过程检查)")),
    ("training:results", gettext_lazy("Completion results")),
    ("certificates:class_list", gettext_lazy("Certificates of this class")),
    ("subsidies:class_entitlements", gettext_lazy("Subsidies of this class")),
)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _form_error(form: forms.Form, error: RuleError) -> None:
    problems = getattr(error, "problems", None)
    if problems:
        for problem in problems:
            form.add_error(problem.field if problem.field in form.fields else None,
                           problem.message)
    else:
        form.add_error(None, error.message)


# Parts that need more than seeing the class (an evaluator sees the class, not certificates).
PART_PERMISSIONS = {"certificates:class_list": roles.VIEW_CERTIFICATE,
                    "subsidies:class_entitlements": roles.VIEW_SUBSIDY}


def part_links(training_class: TrainingClass, user: Any = None) -> list[tuple[Any, str]]:
    """(label, address) of the parts whose pages exist and ``user`` may open; a part not built
    yet is left out."""
    links = []
    for name, label in PART_LINKS:
        permission = PART_PERMISSIONS.get(name)
        if user is not None and permission and not user.has_perm(permission):
            continue
        try:
            links.append((label, reverse(name, args=[training_class.pk])))
        except NoReverseMatch:
            continue
    return links


@dataclass(frozen=True)
class LateInfo:
    late: bool  # results entered late, or overdue now
    entered: bool
    days: int | None


def late_info(training_class: TrainingClass) -> LateInfo:
    overdue = selectors.results_overdue_days(training_class)
    if overdue is not None:
        return LateInfo(True, False, overdue)
    return LateInfo(training_class.results_late, training_class.results_entered_at is not None,
                    training_class.results_delay_days)


# --- list, my classes, late list, export ---------------------------------------------------


@login_required
@permission_required(roles.VIEW_CLASS, raise_exception=True)
def class_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ClassFilterForm(user, request.GET or None)
    after = _int(request.GET.get("after"))
    rows, next_after = selectors.class_page(user=user, filters=form.filters(), after=after,
                                            limit=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("after", None)
    return render(request, "training/class_list.html", {
        "filter_form": form, "rows": [(row, late_info(row)) for row in rows],
        "next_after": next_after, "paged": after is not None, "filtered": form.active(),
        "query": query.urlencode(), "export_values": form.active_values(),
        "can_create": user.has_perm(roles.CHANGE_CLASS),
        "can_export": user.has_perm(roles.EXPORT_CLASSES),
        "can_see_late": user.has_perm(roles.APPROVE_CLASS),
    })


@login_required
@permission_required(roles.VIEW_CLASS, raise_exception=True)
def class_mine(request: HttpRequest) -> HttpResponse:
    """A provider's own classes by status; anybody else goes to the list of their area."""
    user = request.user
    if not getattr(user, "provider_id", None):
        return redirect("training:list")
    groups = [(ClassStatus(status).label, rows)
              for status, rows in selectors.classes_of_provider(user=user).items()]
    return render(request, "training/class_mine.html", {
        "groups": groups, "can_create": user.has_perm(roles.CHANGE_CLASS)})


@login_required
@permission_required(roles.APPROVE_CLASS, raise_exception=True)
def class_late(request: HttpRequest) -> HttpResponse:
    """Classes whose results came late or are overdue: for the federation (clerks, province)."""
    return render(request, "training/class_late.html", {
        "rows": selectors.classes_with_late_results(user=request.user),
        "late_days": selectors.results_late_days()})


@login_required
@permission_required(roles.EXPORT_CLASSES, raise_exception=True)
@require_POST
def class_export(request: HttpRequest) -> HttpResponse:
    filters = ClassFilterForm(request.user, request.POST).filters()
    job = classes_export_start(actor=request.user, filters=filters)
    return redirect("jobs:detail", pk=job.pk)


# --- open, change, the class page ----------------------------------------------------------


@login_required
@permission_required(roles.CHANGE_CLASS, raise_exception=True)
def class_create(request: HttpRequest) -> HttpResponse:
    form = ClassForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid() and form.values is not None:
        try:
            training_class = services.class_create(actor=request.user, values=form.values)
        except RuleError as error:
            _form_error(form, error)
        else:
            messages.success(request, _(
                "The class %(code)s is saved as a draft. Submit the application (开班申请) when "
                "it is complete.") % {"code": training_class.code})
            return redirect("training:detail", pk=training_class.pk)
    return render(request, "training/class_form.html", {"form": form, "creating": True})


@login_required
@permission_required(roles.CHANGE_CLASS, raise_exception=True)
def class_edit(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = selectors.class_get(user=request.user, pk=pk,
                                         permission=roles.CHANGE_CLASS)
    if not training_class.can_change(request.user):
        messages.info(request, _(
            "This class can be changed only while it is a draft or returned for changes."))
        return redirect("training:detail", pk=training_class.pk)
    form = ClassEditForm(request.user, request.POST or None, initial=initial_of(training_class))
    if request.method == "POST" and form.is_valid() and form.values is not None:
        try:
            services.class_update(actor=request.user, training_class=training_class,
                                  values=form.values,
                                  expected_version=form.cleaned_data["version"])
        except ConcurrentUpdateError as error:
            form.add_error(None, error.message)
            data = form.data.copy()
            data["version"] = str(TrainingClass.objects.get(pk=pk).version)
            form.data = data
        except RuleError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("training:detail", pk=training_class.pk)
    return render(request, "training/class_form.html",
                  {"form": form, "creating": False, "training_class": training_class})


def _actions(training_class: TrainingClass, user: Any) -> dict[str, bool]:
    return {
        "can_change": training_class.can_change(user),
        "can_submit": training_class.can_submit(user),
        "can_review": training_class.can_review(user),
        "can_start": training_class.can_start(user),
        "can_end": training_class.can_end(user),
        "can_submit_completion": training_class.can_submit_completion(user),
        "can_review_completion": training_class.can_review_completion(user),
        "can_close": training_class.can_close(user),
        "can_cancel": training_class.can_cancel(user),
        "can_assign_evaluator": services.can_assign_evaluator(user, training_class),
    }


@login_required
@permission_required(roles.VIEW_CLASS, raise_exception=True)
def class_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    training_class = selectors.class_get(user=user, pk=pk)
    actions = _actions(training_class, user)
    reviewer = services.may_ever_review(user)
    own_submission = reviewer and (
        (training_class.status == ClassStatus.SUBMITTED and training_class.prepared_by(user))
        or (training_class.status == ClassStatus.COMPLETION_SUBMITTED
            and training_class.completion_submitted_by_id == user.pk))
    staff = user.has_perm(roles.CHANGE_CLASS) or user.has_perm(roles.APPROVE_CLASS)
    return render(request, "training/class_detail.html", {
        "training_class": training_class, **actions,
        "accommodation_labels": [str(label) for value, label in Accommodation.choices
                                 if training_class.accommodations & value],
        "any_action": any(actions.values()) or own_submission,
        "own_submission": own_submission,
        "approval_level": approval_level(),
        "steps": selectors.class_timeline(training_class),
        "late": late_info(training_class),
        "late_days": selectors.results_late_days(),
        "parts": part_links(training_class, user),
        "comment_form": CommentForm(),
        "return_form": ReturnForm(prefix="return"),
        "cancel_form": CancelForm(prefix="cancel"),
        "evaluator_form": EvaluatorForm(
            prefix="evaluator", initial={"evaluator": str(training_class.evaluator_id or "")}),
        "history": events_for_target(target=training_class)[:50] if staff else None,
    })


# --- the lifecycle steps -------------------------------------------------------------------


def _may_run(user: Any) -> bool:
    return bool(user.has_perm(roles.CHANGE_CLASS))


def _may_run_or_review(user: Any) -> bool:
    return _may_run(user) or services.may_ever_review(user)


def _may_assign(user: Any) -> bool:
    return bool(user.has_perm(roles.APPROVE_CLASS))


@dataclass(frozen=True)
class Step:
    """One lifecycle step as a page: who may ever take it (else 403), its form, the service
    and what to say when it is done."""

    allowed: Callable[[Any], bool]
    service: Callable[..., TrainingClass]
    done: Any
    form: type[forms.Form] | None = None
    prefix: str | None = None
    invalid: Any = ""


STEPS: dict[str, Step] = {
    "submit": Step(_may_run, services.class_submit, gettext_lazy(
        "The application is submitted. The federation will approve it or return it with "
        "comments."), CommentForm),
    "approve": Step(services.may_ever_review, services.class_approve, gettext_lazy(
        "The class is approved. The provider may enrol trainees and start it on its first "
        "day."), CommentForm),
    "return": Step(services.may_ever_review, services.class_return, gettext_lazy(
        "The application is returned to the provider with your comments."), ReturnForm,
        "return", gettext_lazy("Say what must change before the class can be approved.")),
    "start": Step(_may_run, services.class_start, gettext_lazy("The class has started.")),
    "end": Step(_may_run, services.class_end, gettext_lazy(
        "The class has ended. Enter the results of every trainee, then submit the completion "
        "for review.")),
    "submit_completion": Step(_may_run, services.class_submit_completion, gettext_lazy(
        "The completion is submitted. The federation will approve it or return it with "
        "comments."), CommentForm),
    "approve_completion": Step(services.may_ever_review, services.class_approve_completion,
                               gettext_lazy("The completion is approved and the training "
                                            "certificates of the passed trainees are issued."),
                               CommentForm),
    "return_completion": Step(services.may_ever_review, services.class_return_completion,
                              gettext_lazy("The completion is returned with your comments; the "
                                           "results may be corrected."), ReturnForm, "return",
                              gettext_lazy("Say what must be corrected before the completion "
                                           "can be approved.")),
    "close": Step(_may_run_or_review, services.class_close, gettext_lazy(
        "The class is closed.")),
    "cancel": Step(_may_run_or_review, services.class_cancel, gettext_lazy(
        "The class is cancelled."), CancelForm, "cancel", gettext_lazy(
        "Say why the class is cancelled; the reason is kept with the class.")),
    "assign_evaluator": Step(_may_assign, services.class_assign_evaluator, gettext_lazy(
        "The third-party evaluator of the class is saved."), EvaluatorForm, "evaluator"),
}


def _step_arguments(step: Step, form: forms.Form | None) -> dict[str, Any]:
    if form is None:
        return {}
    if isinstance(form, CancelForm):
        return {"reason": form.cleaned_data["reason"]}
    if isinstance(form, EvaluatorForm):
        return {"evaluator": form.chosen}
    return {"comment": form.cleaned_data.get("comment") or ""}


@login_required
@require_POST
def class_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One lifecycle step (the URL names it): 403 when the user's role may never take it,
    404 for a class outside their area, else the service decides and the page says why not."""
    spec = STEPS[step]
    if not spec.allowed(request.user):
        raise PermissionDenied
    training_class = selectors.class_get(user=request.user, pk=pk)
    form = spec.form(request.POST, prefix=spec.prefix) if spec.form is not None else None
    if form is not None and not form.is_valid():
        messages.error(request, str(spec.invalid or _("Check the values and try again.")))
        return redirect("training:detail", pk=training_class.pk)
    try:
        spec.service(actor=request.user, training_class=training_class,
                     **_step_arguments(spec, form))
    except RuleError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, str(spec.done))
    return redirect("training:detail", pk=training_class.pk)
