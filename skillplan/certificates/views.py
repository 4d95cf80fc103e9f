"""Staff and trainee pages of certificates. Thin: forms parse, services and selectors decide.

Every certificate is read through ``selectors`` (scoped: outside scope answers 404 like a
missing one). Revocation is a form page of its own (the reason is required); its answer is a
redirect to the certificate with a message, so the pages work without JavaScript.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from skillplan.accounts import roles
from skillplan.audit.selectors import events_for_target
from skillplan.certificates import selectors, services
from skillplan.certificates.forms import CertificateFilterForm, RevokeForm, SkillCertificateForm
from skillplan.certificates.pdf import certificate_pdf, public_verify_url
from skillplan.core.errors import RuleError
from skillplan.people.selectors import person_get
from skillplan.training.selectors import class_get, enrolments_visible

PAGE_SIZE = 50


def _page(request: HttpRequest, rows: Any) -> Any:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- training certificates -----------------------------------------------------------------


@login_required
@permission_required(roles.VIEW_CERTIFICATE, raise_exception=True)
def certificate_list(request: HttpRequest) -> HttpResponse:
    form = CertificateFilterForm(request.GET or None)
    filters = form.filters()
    rows = selectors.certificates_visible(user=request.user, filters=filters)
    return render(request, "certificates/certificate_list.html", {
        "filter_form": form, "page": _page(request, rows), "query": _query(request),
        "filtered": filters.active()})


@login_required
@permission_required(roles.VIEW_CERTIFICATE, raise_exception=True)
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = selectors.certificate_get(user=request.user, pk=pk)
    can_revoke = certificate.can_revoke(request.user)
    staff = request.user.has_perm(roles.REVOKE_CERTIFICATE)
    return render(request, "certificates/certificate_detail.html", {
        "certificate": certificate, "can_revoke": can_revoke,
        "history": events_for_target(target=certificate)[:20] if staff else None,
        "class_visible": request.user.has_perm(roles.VIEW_CLASS),
    })


@never_cache
@login_required
@permission_required(roles.VIEW_CERTIFICATE, raise_exception=True)
def certificate_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = selectors.certificate_get(user=request.user, pk=pk)
    content = certificate_pdf(certificate,
                              verify_url=public_verify_url(certificate.number, request))
    response = HttpResponse(content, content_type="application/pdf")
    name = re.sub(r"[^A-Za-z0-9-]", "", certificate.number) or str(certificate.pk)
    response["Content-Disposition"] = f'attachment; filename="certificate-{name}.pdf"'
    return response


@login_required
@permission_required(roles.REVOKE_CERTIFICATE, raise_exception=True)
def certificate_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = selectors.certificate_get(user=request.user, pk=pk)
    if not certificate.can_revoke(request.user):
        if not certificate.is_valid:
            messages.info(request, _("This certificate has already been revoked."))
            return redirect("certificates:detail", pk=certificate.pk)
        raise Http404
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(actor=request.user, certificate=certificate,
                                        reason=form.cleaned_data["reason"])
        except RuleError as error:
            form.add_error("reason" if error.code.startswith("reason") else None, error.message)
        else:
            messages.success(request, _(
                "The certificate %(number)s is revoked. The public verification page now "
                "says so.") % {"number": certificate.number})
            return redirect("certificates:detail", pk=certificate.pk)
    return render(request, "certificates/revoke_form.html",
                  {"certificate": certificate, "form": form})


@login_required
@permission_required(roles.VIEW_CERTIFICATE, raise_exception=True)
def class_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = class_get(user=request.user, pk=pk)
    rows = selectors.certificates_of_class(user=request.user, training_class=training_class)
    return render(request, "certificates/class_certificates.html", {
        "training_class": training_class, "certificates": list(rows)})


# --- the trainee's own page ----------------------------------------------------------------


@login_required
@permission_required(roles.VIEW_OWN_TRAINING, raise_exception=True)
def my_training(request: HttpRequest) -> HttpResponse:
    enrolments = (enrolments_visible(user=request.user, permission=roles.VIEW_OWN_TRAINING)
                  .select_related("training_class__project", "training_class__provider")
                  .order_by("-training_class__start_date", "-id"))
    certificates = selectors.certificates_visible(user=request.user)
    return render(request, "certificates/mine.html", {
        "enrolments": list(enrolments), "certificates": list(certificates)})


# --- skill certificates --------------------------------------------------------------------


@login_required
@permission_required(roles.VIEW_PERSON, raise_exception=True)
def skill_list(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_get(user=request.user, pk=pk)
    return render(request, "certificates/skill_list.html", {
        "person": person,
        "skill_certificates": list(selectors.skill_certificates_of(user=request.user,
                                                                   person=person)),
        "can_record": request.user.has_perm(roles.RECORD_SKILL_CERTIFICATE),
    })


@login_required
@permission_required(roles.RECORD_SKILL_CERTIFICATE, raise_exception=True)
def skill_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_get(user=request.user, pk=pk)
    form = SkillCertificateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.skill_certificate_record(actor=request.user, person=person,
                                              values=form.values())
        except services.SkillCertificateInvalid as error:
            for problem in error.problems:
                form.add_error(problem.field if problem.field in form.fields else None,
                               problem.message)
        except RuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The certificate is recorded."))
            return redirect("certificates:skill_list", pk=person.pk)
    return render(request, "certificates/skill_form.html", {"person": person, "form": form})


@login_required
@permission_required(roles.RECORD_SKILL_CERTIFICATE, raise_exception=True)
@require_POST
def skill_delete(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = selectors.skill_certificate_get(user=request.user, pk=pk)
    if not certificate.can_change(request.user):
        raise Http404
    person_pk = certificate.person_id
    services.skill_certificate_delete(actor=request.user, certificate=certificate)
    messages.success(request, _("The certificate record is removed."))
    return redirect("certificates:skill_list", pk=person_pk)
