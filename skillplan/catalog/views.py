"""The catalog's staff pages. Thin: forms parse, ``services`` and ``selectors`` decide.

Lifecycle actions are small POST forms on the project's page; each answers with a redirect to
the page and a message saying what happened (or why not), so they work without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillplan.accounts import roles
from skillplan.accounts.scoping import can_act_on_region
from skillplan.audit.selectors import events_for_target
from skillplan.catalog import selectors, services
from skillplan.catalog.choices import ProjectStatus
from skillplan.catalog.exports import brands_export_start, projects_export_start
from skillplan.catalog.forms import (
    BrandForm,
    BrandRemoveForm,
    CommentForm,
    ProjectEditForm,
    ProjectFilterForm,
    ProjectForm,
    ReturnForm,
    WithdrawForm,
    initial_of,
)
from skillplan.catalog.models import TrainingProject
from skillplan.catalog.rules import brand_period, brand_periods
from skillplan.core.errors import ConcurrentUpdateError, RuleError

PAGE_SIZE = 50


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _form_error(form: Any, error: RuleError) -> None:
    problems = getattr(error, "problems", None)
    if problems:
        for problem in problems:
            form.add_error(problem.field if problem.field in form.fields else None,
                           problem.message)
    else:
        form.add_error(None, error.message)


# --- list, detail, export ------------------------------------------------------------------


@login_required
@permission_required(roles.VIEW_PROJECT, raise_exception=True)
def project_list(request: HttpRequest) -> HttpResponse:
    form = ProjectFilterForm(request.GET or None)
    filters = form.filters()
    after = _int(request.GET.get("after"))
    rows, next_after = selectors.project_page(user=request.user, filters=filters, after=after,
                                              limit=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("after", None)
    user = request.user
    return render(request, "catalog/project_list.html", {
        "filter_form": form, "rows": rows, "next_after": next_after,
        "paged": after is not None, "filtered": form.active(), "query": query.urlencode(),
        "export_values": form.active_values(), "page_size": PAGE_SIZE,
        "can_change": user.has_perm(roles.CHANGE_PROJECT),
    })


@login_required
@permission_required(roles.VIEW_PROJECT, raise_exception=True)
@require_POST
def project_export(request: HttpRequest) -> HttpResponse:
    filters = ProjectFilterForm(request.POST).filters()
    job = projects_export_start(actor=request.user, filters=filters)
    return redirect("jobs:detail", pk=job.pk)


@login_required
@permission_required(roles.VIEW_PROJECT, raise_exception=True)
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, pk=pk)
    user = request.user
    can_change = project.can_change(user)
    return render(request, "catalog/project_detail.html", {
        "project": project,
        "steps": list(project.steps.all()),
        "can_change": can_change,
        "can_submit": project.can_submit(user),
        "can_review": project.can_review(user),
        "own_submission": (project.status == "submitted" and user.has_perm(roles.REVIEW_PROJECT)
                           and project.was_prepared_by(user)),
        "can_withdraw": project.can_withdraw(user),
        "can_copy": project.can_copy(user),
        "comment_form": CommentForm(),
        "return_form": ReturnForm(prefix="return"),
        "withdraw_form": WithdrawForm(prefix="withdraw"),
        "history": events_for_target(target=project)[:50] if (
            can_change or user.has_perm(roles.REVIEW_PROJECT)
            or project.can_copy(user)) else None,
    })


# --- create and edit -----------------------------------------------------------------------


@login_required
@permission_required(roles.CHANGE_PROJECT, raise_exception=True)
def project_create_view(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid() and form.values is not None:
        try:
            project = services.project_create(actor=request.user, values=form.values)
        except RuleError as error:
            _form_error(form, error)
        else:
            messages.success(request, _(
                "The draft %(code)s is saved. Submit it for review when it is complete.") % {
                "code": project.code})
            return redirect("catalog:detail", pk=project.pk)
    return render(request, "catalog/project_form.html", {"form": form, "creating": True})


@login_required
@permission_required(roles.CHANGE_PROJECT, raise_exception=True)
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for_change(user=request.user, pk=pk)
    if not project.is_editable:
        messages.info(request, _(
            "This project cannot be changed while it is waiting for review or published. A "
            "published project can be withdrawn and copied to a new draft."))
        return redirect("catalog:detail", pk=project.pk)
    form = ProjectEditForm(request.user, request.POST or None, initial=initial_of(project))
    if request.method == "POST" and form.is_valid() and form.values is not None:
        try:
            services.project_update(actor=request.user, project=project, values=form.values,
                                    expected_version=form.cleaned_data["version"])
        except ConcurrentUpdateError as error:
            form.add_error(None, error.message)
            data = form.data.copy()
            data["version"] = str(TrainingProject.objects.get(pk=pk).version)
            form.data = data
        except RuleError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("catalog:detail", pk=project.pk)
    return render(request, "catalog/project_form.html",
                  {"form": form, "creating": False, "project": project})


# --- lifecycle -----------------------------------------------------------------------------


def _done(request: HttpRequest, project: TrainingProject, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("catalog:detail", pk=project.pk)


def _refused(request: HttpRequest, project: TrainingProject, error: RuleError) -> HttpResponse:
    messages.error(request, str(error.message))
    return redirect("catalog:detail", pk=project.pk)


@login_required
@permission_required(roles.CHANGE_PROJECT, raise_exception=True)
@require_POST
def project_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for_change(user=request.user, pk=pk)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.project_submit(actor=request.user, project=project, comment=comment)
    except RuleError as error:
        return _refused(request, project, error)
    return _done(request, project, _(
        "The project is submitted. A reviewer at the province will publish it or return it "
        "with comments."))


@login_required
@permission_required(roles.REVIEW_PROJECT, raise_exception=True)
@require_POST
def project_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, pk=pk)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.project_publish(actor=request.user, project=project, comment=comment)
    except RuleError as error:
        return _refused(request, project, error)
    return _done(request, project, _("The project is published in the public catalog."))


@login_required
@permission_required(roles.REVIEW_PROJECT, raise_exception=True)
@require_POST
def project_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, pk=pk)
    form = ReturnForm(request.POST, prefix="return")
    if not form.is_valid():
        messages.error(request, _("Say what must change before the project can be published."))
        return redirect("catalog:detail", pk=project.pk)
    try:
        services.project_return(actor=request.user, project=project,
                                comment=form.cleaned_data["comment"])
    except RuleError as error:
        return _refused(request, project, error)
    return _done(request, project, _("The project is returned to its authors with your "
                                     "comments."))


@login_required
@permission_required(roles.REVIEW_PROJECT, raise_exception=True)
@require_POST
def project_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, pk=pk)
    form = WithdrawForm(request.POST, prefix="withdraw")
    if not form.is_valid():
        messages.error(request, _(
            "Say why the project is withdrawn; the reason is kept with the project."))
        return redirect("catalog:detail", pk=project.pk)
    try:
        services.project_withdraw(actor=request.user, project=project,
                                  reason=form.cleaned_data["reason"])
    except RuleError as error:
        return _refused(request, project, error)
    return _done(request, project, _("The project is withdrawn from the public catalog."))


@login_required
@permission_required(roles.CHANGE_PROJECT, raise_exception=True)
@require_POST
def project_copy_view(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for_change(user=request.user, pk=pk)
    try:
        copy = services.project_copy(actor=request.user, project=project)
    except RuleError as error:
        return _refused(request, project, error)
    messages.success(request, _(
        "The draft %(code)s is a copy of %(original)s. Change it and submit it; once it is "
        "published it replaces the original.") % {"code": copy.code, "original": project.code})
    return redirect("catalog:edit", pk=copy.pk)


# --- brand projects ------------------------------------------------------------------------


def _period_year(value: str | None) -> int:
    today = timezone.localdate().year
    year = _int(value)
    return year if year and 2000 <= year <= today + 2 else today


def _year(request: HttpRequest) -> int:
    return _period_year(request.GET.get("period"))


@login_required
@permission_required(roles.VIEW_PROJECT, raise_exception=True)
def brand_overview(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    start, end = brand_period(year)
    rows = selectors.brand_overview(year=year)
    user = request.user
    return render(request, "catalog/brand_overview.html", {
        "rows": rows, "start": start, "end": end,
        "periods": brand_periods(timezone.localdate().year),
        # A brand whose project was withdrawn counts as missing: nothing public to show.
        "missing": [row.city for row in rows
                    if row.brand is None or row.brand.project.status != ProjectStatus.PUBLISHED],
        "withdrawn": [row.city for row in rows if row.brand is not None
                      and row.brand.project.status != ProjectStatus.PUBLISHED],
        "new_economy": selectors.new_economy_projects(),
        "can_manage": user.has_perm(roles.MANAGE_BRAND),
        "manageable": {row.city.code for row in rows
                       if can_act_on_region(user, row.city.code,
                                                     permission=roles.MANAGE_BRAND)},
    })


@login_required
@permission_required(roles.VIEW_PROJECT, raise_exception=True)
@require_POST
def brand_export(request: HttpRequest) -> HttpResponse:
    job = brands_export_start(actor=request.user, year=_period_year(request.POST.get("period")))
    return redirect("jobs:detail", pk=job.pk)


@login_required
@permission_required(roles.MANAGE_BRAND, raise_exception=True)
def brand_designate(request: HttpRequest) -> HttpResponse:
    start, end = brand_period(timezone.localdate().year)
    form = BrandForm(request.user, request.POST or None,
                     initial={"city": request.GET.get("city", "")})
    if request.method == "POST" and form.is_valid():
        try:
            brand = services.brand_designate(actor=request.user, project=form.chosen_project,
                                             city=form.chosen_city,
                                             note=form.cleaned_data["note"])
        except RuleError as error:
            form.add_error("project" if error.code.startswith("project") else None,
                           error.message)
        else:
            messages.success(request, _(
                "%(code)s is the brand project of %(city)s for %(period)s.") % {
                "code": brand.project.code, "city": brand.city.name,
                "period": brand.period_label})
            return redirect("catalog:brands")
    return render(request, "catalog/brand_form.html", {"form": form, "start": start, "end": end})


@login_required
@permission_required(roles.MANAGE_BRAND, raise_exception=True)
@require_POST
def brand_remove(request: HttpRequest, pk: int) -> HttpResponse:
    brand = selectors.brand_get(user=request.user, pk=pk)
    form = BrandRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the brand project is removed."))
        return redirect("catalog:brands")
    try:
        services.brand_remove(actor=request.user, brand=brand,
                              reason=form.cleaned_data["reason"])
    except RuleError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The brand project of %(city)s for %(period)s is removed.")
                         % {"city": brand.city.name, "period": brand.period_label})
    return redirect("catalog:brands")
