"""Pages: the roster of a class — who is enrolled, the registry search that adds trainees
(with each person's eligibility shown before anyone presses "Enrol"), named participants of
employer and service-staff training, withdrawal with a reason, and the roster export.

The roster is visible to whoever may view the class; changes need ``can_enrol``. A failed
predicate is a 403; a class or enrolment outside the user's scope is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from skillplan.accounts import roles
from skillplan.core.errors import RuleError
from skillplan.people.models import Person
from skillplan.training.exports_enrolments import roster_export_start
from skillplan.training.forms_enrolments import (
    EnrolForm,
    ParticipantForm,
    RosterSearchForm,
    WithdrawForm,
    candidate_person_pk,
    candidate_token,
)
from skillplan.training.models import TrainingClass
from skillplan.training.selectors import class_get, enrolment_get
from skillplan.training.selectors_enrolments import (
    Search,
    enrolment_candidates,
    may_search_by_name,
    roster,
)
from skillplan.training.services.enrolments import (
    enrol_participant,
    enrol_person,
    enrolment_withdraw,
)

# Where a service's RuleError belongs on the participant form; others go on top.
PARTICIPANT_ERROR_FIELDS = {"name_required": "name", "employer_required": "employer"}


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _changeable(request: HttpRequest, pk: int) -> TrainingClass:
    """The class in scope (else 404) whose roster the user may change (else 403)."""
    training_class = class_get(user=request.user, pk=pk)
    if not training_class.can_enrol(request.user):
        raise PermissionDenied
    return training_class


def _search_rows(request: HttpRequest, training_class: TrainingClass, search: Search | None
                 ) -> list[dict[str, Any]]:
    if search is None:
        return []
    return [{
        "person": candidate.person, "problems": candidate.problems,
        "token": candidate_token(user_pk=request.user.pk, class_pk=training_class.pk,
                                 person_pk=candidate.person.pk) if candidate.eligible else "",
    } for candidate in search.candidates]


def _search_context(request: HttpRequest, training_class: TrainingClass, *,
                    form: RosterSearchForm | None = None, search: Search | None = None
                    ) -> dict[str, Any]:
    rows = _search_rows(request, training_class, search)
    return {
        "training_class": training_class,
        "search_form": form or RosterSearchForm(by_name=may_search_by_name(request.user)),
        "search_by_name": may_search_by_name(request.user),
        "search": search,
        "search_rows": rows,
        "eligible_count": sum(1 for row in rows if row["token"]),
    }


def _page_context(request: HttpRequest, training_class: TrainingClass, **extra: Any
                  ) -> dict[str, Any]:
    user = request.user
    can_enrol = training_class.can_enrol(user)
    enrolments = list(roster(training_class))
    context: dict[str, Any] = {
        "training_class": training_class,
        "enrolments": enrolments,
        "withdrawn_count": sum(1 for e in enrolments if not e.is_active),
        "can_enrol": can_enrol,
        "can_export": user.has_perm(roles.EXPORT_CLASSES),
        "takes_participants": training_class.enrols_non_registered,
        "search": None,
    }
    if can_enrol and training_class.enrols_non_registered:
        context["participant_form"] = extra.pop("participant_form", None) or ParticipantForm()
    elif can_enrol:
        context.update(_search_context(request, training_class, form=extra.pop("form", None),
                                       search=extra.pop("search", None)))
    context.update(extra)
    return context


@login_required
@permission_required(roles.VIEW_CLASS, raise_exception=True)
def roster_page(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = class_get(user=request.user, pk=pk)
    return render(request, "training/roster.html", _page_context(request, training_class))


@never_cache
@login_required
@permission_required(roles.CHANGE_CLASS, raise_exception=True)
@require_POST
def roster_search(request: HttpRequest, pk: int) -> HttpResponse:
    """Search the registry (the text travels in the body: an ID number never goes in a URL).
    HTMX gets the search section alone; without JavaScript the whole page comes back."""
    training_class = _changeable(request, pk)
    if training_class.enrols_non_registered:
        raise PermissionDenied
    form = RosterSearchForm(request.POST, by_name=may_search_by_name(request.user))
    search = None
    if form.is_valid():
        try:
            search = enrolment_candidates(user=request.user, training_class=training_class,
                                          text=form.cleaned_data["q"])
        except RuleError as error:
            form.add_error("q", error.message)
    if _is_htmx(request):
        context = _search_context(request, training_class, form=form, search=search)
        return render(request, "training/roster_search.html", {**context, "htmx": True})
    return render(request, "training/roster.html",
                  _page_context(request, training_class, form=form, search=search))


@login_required
@permission_required(roles.CHANGE_CLASS, raise_exception=True)
@require_POST
def roster_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    """Enrol a person the search showed (a signed reference, never a typed number)."""
    training_class = _changeable(request, pk)
    form = EnrolForm(request.POST)
    person_pk = candidate_person_pk(form.data.get("candidate", ""), user_pk=request.user.pk,
                                    class_pk=training_class.pk) if form.is_valid() else None
    person = Person.objects.filter(pk=person_pk).first() if person_pk else None
    if person is None:
        messages.error(request, _("This search result is too old. Search for the person again."))
        return redirect("training:roster", pk=training_class.pk)
    try:
        enrol_person(actor=request.user, training_class=training_class, person=person)
    except RuleError as error:
        messages.error(request, _("%(name)s was not enrolled: %(reason)s") % {
            "name": person.name, "reason": error.message})
    else:
        messages.success(request, _("%(name)s is enrolled. Places left: %(left)s.") % {
            "name": person.name, "left": training_class.places_left})
    return redirect("training:roster", pk=training_class.pk)


@login_required
@permission_required(roles.CHANGE_CLASS, raise_exception=True)
@require_POST
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = _changeable(request, pk)
    if not training_class.enrols_non_registered:
        raise PermissionDenied
    form = ParticipantForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            enrol_participant(actor=request.user, training_class=training_class,
                              name=data["name"], employer=data["employer"], role=data["role"])
        except RuleError as error:
            form.add_error(PARTICIPANT_ERROR_FIELDS.get(error.code), error.message)
        else:
            messages.success(request, _("%(name)s is enrolled. Places left: %(left)s.") % {
                "name": data["name"], "left": training_class.places_left})
            return redirect("training:roster", pk=training_class.pk)
    return render(request, "training/roster.html",
                  _page_context(request, training_class, participant_form=form))


@login_required
@permission_required(roles.CHANGE_CLASS, raise_exception=True)
def enrolment_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = enrolment_get(user=request.user, pk=pk)
    training_class = enrolment.training_class
    if not training_class.can_enrol(request.user):
        raise PermissionDenied
    if not enrolment.is_active:
        messages.info(request, _("%(name)s has already been withdrawn from the class.")
                      % {"name": enrolment.display_name})
        return redirect("training:roster", pk=training_class.pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment_withdraw(actor=request.user, enrolment=enrolment,
                               reason=form.cleaned_data["reason"])
        except RuleError as error:
            form.add_error("reason" if error.code == "reason_required" else None, error.message)
        else:
            messages.success(request, _("%(name)s is withdrawn from the class. Places left: "
                                        "%(left)s.") % {"name": enrolment.display_name,
                                                        "left": training_class.places_left})
            return redirect("training:roster", pk=training_class.pk)
    return render(request, "training/roster_withdraw.html", {
        "form": form, "enrolment": enrolment, "training_class": training_class})


@login_required
@permission_required(roles.EXPORT_CLASSES, raise_exception=True)
@require_POST
def roster_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the roster export (masked ID numbers); the job page shows progress."""
    training_class = class_get(user=request.user, pk=pk)
    job = roster_export_start(actor=request.user, training_class=training_class)
    return redirect("jobs:detail", pk=job.pk)
