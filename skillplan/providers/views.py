"""Staff pages of the provider registry, training bases, evaluations and coverage. Thin:
forms parse, selectors read in scope (404 outside it), services decide."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillplan.accounts import roles
from skillplan.accounts.scoping import Reach, can_act_on_region, scope_of
from skillplan.audit.selectors import events_for_target
from skillplan.core.errors import ConcurrentUpdateError, RuleError
from skillplan.providers import exports, selectors, services
from skillplan.providers.forms import (
    AccreditForm,
    BaseApplicationEditForm,
    BaseApplicationForm,
    BaseFilterForm,
    CityReviewForm,
    DecisionForm,
    EvaluationForm,
    IndicatorForm,
    ProviderEditForm,
    ProviderFilterForm,
    ProviderForm,
    VersionForm,
    provider_initial,
)
from skillplan.providers.models import (
    CLOSED_STATUSES,
    BaseStatus,
    EvaluationIndicator,
    TrainingBase,
)

PAGE_SIZE = 50
ERROR_FIELDS = {
    "region_out_of_scope": "region", "region_level": "region", "credit_code_exists":
    "credit_code", "credit_code_required": "credit_code", "credit_code_format": "credit_code",
    "credit_code_checksum": "credit_code", "phone_format": "contact_phone",
    "comment_required": "comment", "level_required": "level", "validity": "valid_until",
    "evaluation_exists": "year", "outcome_required": "outcome",
    "valid_from_range": "valid_from", "validity_too_long": "valid_until",
}  # fmt: skip


def is_federation(user: Any) -> bool:
    return scope_of(user).reach in (Reach.PROVINCE, Reach.REGION)


def _rule_error(form: Any, error: RuleError) -> None:
    field = ERROR_FIELDS.get(error.code)
    form.add_error(field if field in form.fields else None, error.message)


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _stale(form: Any, error: ConcurrentUpdateError, version: int) -> None:
    """Keep the user's input, say what happened, and let a second save apply it."""
    form.add_error(None, error.message)
    data = form.data.copy()
    data["version"] = str(version)
    form.data = data


# --- Providers ----------------------------------------------------------------------------


@login_required
@permission_required(roles.VIEW_PROVIDER, raise_exception=True)
def provider_list(request: HttpRequest) -> HttpResponse:
    form = ProviderFilterForm(request.user, request.GET or None)
    filters = form.filters()
    page = _page(request, selectors.provider_list(user=request.user, filters=filters))
    return render(request, "providers/provider_list.html", {
        "filter_form": form, "page": page, "query": _query(request),
        "filtered": any(vars(filters).values()), "filter_values": list(vars(filters).items()),
        "can_create": request.user.has_perm(roles.CHANGE_PROVIDER) and is_federation(
            request.user),
    })


@login_required
@permission_required(roles.VIEW_PROVIDER, raise_exception=True)
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    provider = selectors.provider_get(user=request.user, pk=pk)
    user = request.user
    bases = list(provider.bases.order_by("-created_at"))
    can_change = services.may_change_provider(user, provider)
    open_base = next((b for b in bases if b.status not in CLOSED_STATUSES
                      and not b.is_expired), None)
    return render(request, "providers/provider_detail.html", {
        "provider": provider, "staff": selectors.provider_staff(provider=provider),
        "bases": bases, "can_change": can_change,
        "can_apply": user.has_perm(roles.APPLY_BASE) and user.provider_id == provider.pk
        and open_base is None,
        "history": events_for_target(target=provider)[:50] if can_change else None,
    })


@login_required
@permission_required(roles.CHANGE_PROVIDER, raise_exception=True)
def provider_create(request: HttpRequest) -> HttpResponse:
    if not is_federation(request.user):
        raise PermissionDenied
    form = ProviderForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid() and form.values is not None:
        try:
            provider = services.provider_create(actor=request.user, values=form.values)
        except RuleError as error:
            _rule_error(form, error)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": provider.name})
            return redirect("providers:detail", pk=provider.pk)
    return render(request, "providers/provider_form.html", {"form": form, "creating": True})


@login_required
@permission_required(roles.CHANGE_PROVIDER, raise_exception=True)
def provider_edit(request: HttpRequest, pk: int) -> HttpResponse:
    provider = selectors.provider_get(user=request.user, pk=pk)
    if not services.may_change_provider(request.user, provider):
        raise PermissionDenied
    federation = can_act_on_region(request.user, provider.region_code,
                                   permission=roles.CHANGE_PROVIDER)
    form = ProviderEditForm(request.user, request.POST or None, provider=provider,
                            federation=federation, initial=provider_initial(provider))
    if request.method == "POST" and form.is_valid() and form.values is not None:
        try:
            services.provider_update(actor=request.user, provider=provider, values=form.values,
                                     expected_version=form.cleaned_data["version"])
        except ConcurrentUpdateError as error:
            _stale(form, error, selectors.provider_get(user=request.user, pk=pk).version)
        except RuleError as error:
            _rule_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("providers:detail", pk=provider.pk)
    return render(request, "providers/provider_form.html", {
        "form": form, "creating": False, "provider": provider})


@login_required
@permission_required(roles.VIEW_PROVIDER, raise_exception=True)
@require_POST
def provider_export(request: HttpRequest) -> HttpResponse:
    filters = ProviderFilterForm(request.user, request.POST).filters()
    job = exports.providers_export_start(actor=request.user, filters=filters)
    return redirect("jobs:detail", pk=job.pk)


# --- Bases --------------------------------------------------------------------------------


@login_required
@permission_required(roles.VIEW_PROVIDER, raise_exception=True)
def base_list(request: HttpRequest) -> HttpResponse:
    form = BaseFilterForm(request.user, request.GET or None)
    filters = form.filters()
    user = request.user
    page = _page(request, selectors.base_list(user=user, filters=filters))
    return render(request, "providers/base_list.html", {
        "filter_form": form, "page": page, "query": _query(request),
        "filtered": any(vars(filters).values()), "filter_values": list(vars(filters).items()),
        "awaiting": selectors.evaluations_awaiting_decision(user=user),
        "can_apply": user.has_perm(roles.APPLY_BASE) and bool(user.provider_id),
        "can_configure": user.has_perm(roles.EVALUATE_BASE),
    })


@login_required
@permission_required(roles.VIEW_PROVIDER, raise_exception=True)
def base_detail(request: HttpRequest, pk: int) -> HttpResponse:
    base = selectors.base_get(user=request.user, pk=pk)
    return render(request, "providers/base_detail.html", _base_context(request, base))


def _base_context(request: HttpRequest, base: TrainingBase, **extra: Any) -> dict[str, Any]:
    user = request.user
    evaluations = list(selectors.base_evaluations(base=base))
    return {
        "base": base, "provider": base.provider,
        "steps": selectors.base_steps(base=base),
        "evaluations": [(evaluation, evaluation.can_decide(user)) for evaluation in evaluations],
        "can_edit": base.can_edit_application(user),
        "can_review": base.can_city_review(user),
        "can_accredit": base.can_accredit(user),
        "accredit_blocked": base.status == BaseStatus.CITY_REVIEWED
        and user.has_perm(roles.ACCREDIT_BASE) and base.prepared_by(user),
        "can_evaluate": base.can_record_evaluation(user),
        "version_form": VersionForm(initial={"version": base.version}),
        **extra,
    }


@login_required
@permission_required(roles.APPLY_BASE, raise_exception=True)
def base_apply(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.provider_id:
        raise PermissionDenied
    provider = user.provider
    open_base = provider.bases.exclude(status__in=CLOSED_STATUSES).first()
    if open_base is not None and not open_base.is_expired:  # an ended one may be renewed
        messages.info(request, _(
            "Your institution already has an application or a base; here it is."))
        return redirect("providers:base_detail", pk=open_base.pk)
    form = BaseApplicationForm(request.POST or None, initial={
        "name": f"{provider.name}残疾人职业培训基地"[:160]})
    if request.method == "POST" and form.is_valid():
        try:
            base = services.base_application_save(actor=user, provider=provider,
                                                  values=form.cleaned_data)
        except RuleError as error:
            _rule_error(form, error)
        else:
            messages.success(request, _(
                "The application is saved as a draft. Check it, then submit it to the city "
                "federation."))
            return redirect("providers:base_detail", pk=base.pk)
    return render(request, "providers/base_form.html", {"form": form, "creating": True,
                                                        "provider": provider})


@login_required
@permission_required(roles.APPLY_BASE, raise_exception=True)
def base_edit(request: HttpRequest, pk: int) -> HttpResponse:
    base = selectors.base_get(user=request.user, pk=pk)
    if not base.can_edit_application(request.user):
        raise PermissionDenied
    initial = {name: getattr(base, name) for name in services.APPLICATION_FIELDS}
    form = BaseApplicationEditForm(request.POST or None,
                                   initial={**initial, "version": base.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.base_application_save(
                actor=request.user, provider=base.provider, base=base,
                values=form.cleaned_data, expected_version=form.cleaned_data["version"])
        except ConcurrentUpdateError as error:
            _stale(form, error, selectors.base_get(user=request.user, pk=pk).version)
        except RuleError as error:
            _rule_error(form, error)
        else:
            messages.success(request, _("The application is saved."))
            return redirect("providers:base_detail", pk=base.pk)
    return render(request, "providers/base_form.html", {"form": form, "creating": False,
                                                        "base": base, "provider": base.provider})


@login_required
@permission_required(roles.APPLY_BASE, raise_exception=True)
@require_POST
def base_submit(request: HttpRequest, pk: int) -> HttpResponse:
    base = selectors.base_get(user=request.user, pk=pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The page was out of date; check the application and try "
                                  "again."))
        return redirect("providers:base_detail", pk=pk)
    try:
        services.base_submit(actor=request.user, base=base,
                             expected_version=form.cleaned_data["version"])
    except RuleError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _(
            "The application is submitted. The city federation reviews it next."))
    return redirect("providers:base_detail", pk=pk)


def _transition_page(request: HttpRequest, base: TrainingBase, form: Any, *, template: str,
                     title: str) -> HttpResponse:
    return render(request, template, _base_context(request, base, form=form, title=title))


@login_required
@permission_required(roles.REVIEW_BASE, raise_exception=True)
def base_review(request: HttpRequest, pk: int) -> HttpResponse:
    base = selectors.base_get(user=request.user, pk=pk)
    if not base._covers(request.user):
        raise PermissionDenied
    form = CityReviewForm(request.POST or None, initial={"version": base.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.base_city_review(
                actor=request.user, base=base, approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["version"])
        except ConcurrentUpdateError as error:
            _stale(form, error, selectors.base_get(user=request.user, pk=pk).version)
        except RuleError as error:
            _rule_error(form, error)
        else:
            messages.success(request, _("Your review is recorded."))
            return redirect("providers:base_detail", pk=pk)
    return _transition_page(request, base, form, template="providers/base_action.html",
                            title=_("City review of %(name)s") % {"name": base.name})


@login_required
@permission_required(roles.ACCREDIT_BASE, raise_exception=True)
def base_accredit(request: HttpRequest, pk: int) -> HttpResponse:
    base = selectors.base_get(user=request.user, pk=pk)
    form = AccreditForm(request.POST or None, initial={"version": base.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.base_accredit(
                actor=request.user, base=base, accredit=data["decision"] == "accredit",
                level=data.get("level") or "", valid_from=data.get("valid_from"),
                valid_until=data.get("valid_until"), comment=data.get("comment") or "",
                expected_version=data["version"])
        except ConcurrentUpdateError as error:
            _stale(form, error, selectors.base_get(user=request.user, pk=pk).version)
        except RuleError as error:
            _rule_error(form, error)
        else:
            messages.success(request, _("Your decision is recorded."))
            return redirect("providers:base_detail", pk=pk)
    return _transition_page(request, base, form, template="providers/base_action.html",
                            title=_("Accreditation of %(name)s") % {"name": base.name})


@login_required
@permission_required(roles.VIEW_PROVIDER, raise_exception=True)
def base_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not (user.has_perm(roles.REVIEW_BASE) or user.has_perm(roles.EVALUATE_BASE)):
        raise PermissionDenied  # counties and providers never score; before any lookup
    base = selectors.base_get(user=user, pk=pk)
    indicators = list(EvaluationIndicator.objects.filter(active=True))
    form = EvaluationForm(request.POST or None, indicators=indicators,
                          initial={"version": base.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_record(
                actor=user, base=base, year=form.cleaned_data["year"], values=form.values(),
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["version"])
        except ConcurrentUpdateError as error:
            _stale(form, error, selectors.base_get(user=user, pk=pk).version)
        except RuleError as error:
            _rule_error(form, error)
        else:
            messages.success(request, _(
                "The evaluation is scored. Another person at the province decides on it."))
            return redirect("providers:base_detail", pk=pk)
    return _transition_page(request, base, form, template="providers/base_action.html",
                            title=_("Annual evaluation of %(name)s") % {"name": base.name})


@login_required
@permission_required(roles.EVALUATE_BASE, raise_exception=True)
def evaluation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    base = selectors.base_get(user=request.user, pk=evaluation.base_id)
    form = DecisionForm(request.POST or None, initial={
        "version": evaluation.version, "outcome": evaluation.proposed_outcome})
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_decide(
                actor=request.user, evaluation=evaluation,
                outcome=form.cleaned_data["outcome"], reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"])
        except ConcurrentUpdateError as error:
            _stale(form, error, selectors.evaluation_get(user=request.user, pk=pk).version)
        except RuleError as error:
            _rule_error(form, error)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("providers:base_detail", pk=base.pk)
    return render(request, "providers/evaluation_decide.html", _base_context(
        request, base, form=form, evaluation=evaluation,
        may_decide=evaluation.can_decide(request.user),
        title=_("Decision on the %(year)s evaluation of %(name)s") % {
            "year": evaluation.year, "name": base.name}))


@login_required
@permission_required(roles.VIEW_PROVIDER, raise_exception=True)
@require_POST
def base_export(request: HttpRequest) -> HttpResponse:
    filters = BaseFilterForm(request.user, request.POST).filters()
    job = exports.bases_export_start(actor=request.user, filters=filters)
    return redirect("jobs:detail", pk=job.pk)


# --- Indicators ---------------------------------------------------------------------------


@login_required
@permission_required(roles.EVALUATE_BASE, raise_exception=True)
def indicator_list(request: HttpRequest) -> HttpResponse:
    indicators = list(EvaluationIndicator.objects.all())
    active_weight = sum(i.weight for i in indicators if i.active)
    return render(request, "providers/indicator_list.html", {
        "indicators": indicators, "active_weight": active_weight,
        "thresholds": services.thresholds()})


@login_required
@permission_required(roles.EVALUATE_BASE, raise_exception=True)
def indicator_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    indicator = get_object_or_404(EvaluationIndicator, pk=pk) if pk else None
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_save(actor=request.user, indicator=indicator,
                                    values=form.cleaned_data)
        except RuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The indicator is saved."))
            return redirect("providers:indicators")
    return render(request, "providers/indicator_form.html", {"form": form,
                                                             "indicator": indicator})


# --- Coverage -----------------------------------------------------------------------------


def _may_see_coverage(user: Any) -> bool:
    return user.has_perm(roles.VIEW_PROVIDER) and is_federation(user)


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    if not _may_see_coverage(request.user):
        raise PermissionDenied
    rows = selectors.coverage(user=request.user)
    return render(request, "providers/coverage.html", {
        "rows": rows, "uncovered": selectors.cities_without_base(rows)})


@login_required
@require_POST
def coverage_export(request: HttpRequest) -> HttpResponse:
    if not _may_see_coverage(request.user):
        raise PermissionDenied
    job = exports.coverage_export_start(actor=request.user)
    return redirect("jobs:detail", pk=job.pk)

