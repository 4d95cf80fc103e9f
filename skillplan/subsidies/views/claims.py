"""Claim pages: the list, a claim with its lines, shares, payments and path, and the steps
(prepare from a class, submit, review, approve, record a payment, adjust).

Thin: forms parse, ``services.claims``/``services.payments`` decide, ``selectors_claims`` read
in scope (outside scope → 404). Every step answers with a redirect to the claim and a message
saying what happened, or why not.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillplan.accounts import roles
from skillplan.audit.selectors import events_for_target
from skillplan.core.errors import RuleError
from skillplan.core.masking import mask_name
from skillplan.subsidies import selectors_claims as selectors
from skillplan.subsidies.forms_claims import (
    AdjustmentForm,
    ClaimFilterForm,
    DecisionForm,
    PaymentForm,
    RequestKeyForm,
    SubmitForm,
    new_request_key,
)
from skillplan.subsidies.models import ZERO, Claim, ClaimLine
from skillplan.subsidies.services import claims as services
from skillplan.subsidies.services import payments
from skillplan.training import selectors as class_selectors

PAGE_SIZE = 50


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@permission_required(roles.VIEW_SUBSIDY, raise_exception=True)
def claim_list(request: HttpRequest) -> HttpResponse:
    form = ClaimFilterForm(request.GET or None)
    after = _int(request.GET.get("after"))
    rows, next_after = selectors.claim_page(user=request.user, filters=form.filters(),
                                            after=after, limit=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("after", None)
    return render(request, "subsidies/claim_list.html", {
        "filter_form": form, "rows": rows, "next_after": next_after, "paged": after is not None,
        "filtered": form.active(), "query": query.urlencode()})


@dataclass(frozen=True)
class LineRow:
    line: ClaimLine
    name: str  # masked
    province: Decimal | None
    city: Decimal | None
    county: Decimal | None


def _line_rows(claim: Claim) -> list[LineRow]:
    rows = []
    for line in selectors.claim_lines(claim):
        entitlement = line.entitlement
        name = entitlement.enrolment.display_name if entitlement is not None else ""
        shares = payments.line_shares(line)
        rows.append(LineRow(line, mask_name(name), shares.get("province"), shares.get("city"),
                            shares.get("county")))
    return rows


def _actions(claim: Claim, user: Any) -> dict[str, bool]:
    return {
        "can_submit": services.can_submit(claim, user),
        "can_review": services.can_review(claim, user),
        "can_approve": services.can_approve(claim, user),
        "can_pay": payments.can_record_payment(claim, user),
        "can_adjust": services.can_adjust(claim, user),
    }


def _maker_checker_note(claim: Claim, user: Any) -> bool:
    """The user would review or approve it, but prepared (or reviewed) it themselves."""
    from skillplan.subsidies.choices import ClaimStatus

    if claim.status == ClaimStatus.SUBMITTED and user.has_perm(roles.REVIEW_CLAIM):
        return services.prepared_by(claim, user)
    if claim.status == ClaimStatus.REVIEWED and user.has_perm(roles.APPROVE_CLAIM):
        return services.prepared_by(claim, user) or user.pk == claim.reviewed_by_id
    return False


@login_required
@permission_required(roles.VIEW_SUBSIDY, raise_exception=True)
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    claim = selectors.claim_get(user=user, pk=pk)
    actions = _actions(claim, user)
    lines = _line_rows(claim)
    staff = not getattr(user, "provider_id", None)
    return render(request, "subsidies/claim_detail.html", {
        "claim": claim, **actions, "any_action": any(actions.values()),
        "own_work": _maker_checker_note(claim, user),
        "lines": lines, "dues": payments.claim_dues(claim),
        "payments": list(claim.payments.select_related("recorded_by")),
        "steps": selectors.claim_path(claim),
        "adjustments": list(selectors.claims_visible(user=user).filter(adjusts=claim)),
        "submit_form": SubmitForm(prefix="submit"), "decision_form": DecisionForm(),
        "payment_form": PaymentForm(prefix="pay"),
        "history": events_for_target(target=claim)[:50] if staff else None,
        "class_url": _class_url(claim),
    })


def _class_url(claim: Claim) -> str:
    return reverse("training:detail", args=[claim.training_class_id])


def entitlements_url(training_class_id: int) -> str:
    """The class's entitlements page (helper "computation"), else the class page."""
    try:
        return reverse("subsidies:class_entitlements", args=[training_class_id])
    except NoReverseMatch:
        return reverse("training:detail", args=[training_class_id])


# --- steps ---------------------------------------------------------------------------------


@login_required
@permission_required(roles.PREPARE_CLAIM, raise_exception=True)
@require_POST
def claim_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    """Prepare the claim of class ``pk`` (a POST from the class's entitlements page, with the
    request key the page was rendered with: a double click creates one claim)."""
    training_class = class_selectors.class_get(user=request.user, pk=pk,
                                               permission=roles.PREPARE_CLAIM)
    form = RequestKeyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form has expired. Open the page again and submit it "
                                  "once more."))
        return redirect(entitlements_url(training_class.pk))
    try:
        claim = services.claim_prepare(actor=request.user, training_class=training_class,
                                       request_key=form.cleaned_data["request_key"])
    except RuleError as error:
        messages.error(request, str(error.message))
        return redirect(entitlements_url(training_class.pk))
    messages.success(request, _(
        "The claim %(number)s is prepared as a draft. Check its lines and submit it for "
        "review.") % {"number": claim.number})
    return redirect("subsidies:claim_detail", pk=claim.pk)


def _claim_for_step(request: HttpRequest, pk: int, permission: str) -> Claim:
    if not request.user.has_perm(permission):
        raise PermissionDenied
    return selectors.claim_get(user=request.user, pk=pk)


@login_required
@require_POST
def claim_submit(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_for_step(request, pk, roles.PREPARE_CLAIM)
    form = SubmitForm(request.POST, prefix="submit")
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.claim_submit(actor=request.user, claim=claim, comment=comment)
    except RuleError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The claim is submitted for review."))
    return redirect("subsidies:claim_detail", pk=claim.pk)


def _decide(request: HttpRequest, pk: int, permission: str, service: Any,
            done: tuple[str, str]) -> HttpResponse:
    claim = _claim_for_step(request, pk, permission)
    form = DecisionForm(request.POST)
    approve = request.POST.get("decision") != "return"
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        service(actor=request.user, claim=claim, approve=approve, comment=comment)
    except RuleError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, done[0] if approve else done[1])
    return redirect("subsidies:claim_detail", pk=claim.pk)


@login_required
@require_POST
def claim_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, roles.REVIEW_CLAIM, services.claim_review, (
        _("The claim is reviewed and goes to the province for approval."),
        _("The claim is returned to the preparer with your comment.")))


@login_required
@require_POST
def claim_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, roles.APPROVE_CLAIM, services.claim_approve, (
        _("The claim is approved and locked; the paying levels may record their payments."),
        _("The claim is returned to the preparer with your comment.")))


@login_required
@permission_required(roles.RECORD_PAYMENT, raise_exception=True)
def claim_pay(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get(user=request.user, pk=pk)
    form = PaymentForm(request.POST or None, prefix="pay")
    if request.method == "POST" and form.is_valid():
        try:
            payments.payment_record(actor=request.user, claim=claim,
                                    paid_on=form.cleaned_data["paid_on"],
                                    voucher_number=form.cleaned_data["voucher_number"],
                                    amount=form.cleaned_data["amount"])
        except RuleError as error:
            field = {"voucher_duplicate": "voucher_number", "voucher_required": "voucher_number",
                     "over_owed": "amount", "amount_invalid": "amount",
                     "paid_on_future": "paid_on"}.get(error.code)
            form.add_error(field, error.message)
        else:
            messages.success(request, _("The payment is recorded."))
            return redirect("subsidies:claim_detail", pk=claim.pk)
    level = payments.paying_level_of(request.user)
    due = next((d for d in payments.claim_dues(claim) if d.level == level), None)
    return render(request, "subsidies/claim_pay.html", {
        "claim": claim, "form": form, "due": due, "owed": due.owed if due else ZERO})


@login_required
@permission_required(roles.PREPARE_CLAIM, raise_exception=True)
def claim_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get(user=request.user, pk=pk)
    if not services.can_adjust(claim, request.user):
        messages.info(request, _("Only an approved claim can be adjusted, by those who may "
                                 "prepare the claims of its class."))
        return redirect("subsidies:claim_detail", pk=claim.pk)
    lines = selectors.claim_lines(claim)
    form = AdjustmentForm(lines, request.POST or None,
                          initial={"request_key": new_request_key()})
    if request.method == "POST" and form.is_valid():
        line = form.chosen()
        try:
            adjustment = services.claim_adjust(
                actor=request.user, claim=claim, reason=form.cleaned_data["reason"],
                request_key=form.cleaned_data["request_key"],
                lines=[services.AdjustmentLine(line.entitlement_id, line.item,
                                               form.cleaned_data["amount"],
                                               form.cleaned_data["explanation"])])
        except RuleError as error:
            field = {"reason_required": "reason", "amount_zero": "amount",
                     "amount_below_zero": "amount", "line_not_in_claim": "line"}.get(error.code)
            form.add_error(field, error.message)
        else:
            messages.success(request, _(
                "The adjustment %(number)s is prepared as a draft; submit it for review.") % {
                "number": adjustment.number})
            return redirect("subsidies:claim_detail", pk=adjustment.pk)
    return render(request, "subsidies/claim_adjust.html", {"claim": claim, "form": form})


def prepare_context(user: Any, training_class: Any) -> dict[str, Any]:
    """What the class's entitlements page needs for its "prepare the claim" button (helper
    "computation" includes ``subsidies/includes/claim_prepare.html`` with it)."""
    may = services.may_prepare_for(user, training_class)
    return {
        "claim_prepare_allowed": may and training_class.status in services.CLAIMABLE_CLASS,
        "claim_request_key": new_request_key(),
        "class_claims": list(selectors.claims_of_class(user=user,
                                                       training_class_id=training_class.pk)),
    }
