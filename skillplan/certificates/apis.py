"""API: training certificates (scoped like the pages), skill certificates of a person, and the
public verification of a certificate (no token, rate-limited per IP address).

Answers chosen for the error contract:
- a certificate or person outside the caller's area: 404, the same as a missing one;
- revoking without a reason: 422 ``reason_required``; an already revoked one: 422
  ``already_revoked``; by someone who may see but not revoke it: 403;
- a skill certificate breaking a rule: 422 with one detail per problem (``level_required``,
  ``date_in_future`` …); the same issuer and number twice: 422 ``skill_certificate_duplicate``;
- more public checks than the limit: 429 ``throttled`` with ``Retry-After``.
"""
# No `from __future__ import annotations`: django-ninja reads the annotations of paginated
# operations at import time through a wrapper whose globals are not this module's.

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError

from skillplan.accounts import roles
from skillplan.api.auth import require
from skillplan.api.errors import error_body, error_responses
from skillplan.api.pagination import cursor_paginate
from skillplan.api.validators import BodyText, QueryText
from skillplan.certificates import selectors, services
from skillplan.certificates.choices import CertificateStatus, SkillCertificateKind
from skillplan.certificates.models import SkillCertificate, TrainingCertificate
from skillplan.certificates.ratelimit import limit_per_minute, verify_check_allowed
from skillplan.certificates.rules import SkillCertificateValues
from skillplan.people.selectors import person_get

router = Router(tags=["certificates"])
public_router = Router(tags=["certificates"])

_NUMBER_FILTER = Query("", max_length=40)
_CLASS_CODE_FILTER = Query("", max_length=24, description="e.g. HN-430100-2025-0001")
_VERIFY_NUMBER = Query(..., min_length=1, max_length=40, description="as printed")
_VERIFY_NAME = Query(..., min_length=1, max_length=50,
                     description="the holder's full name as printed")


class CertificateOut(Schema):
    id: int
    number: str = Field(..., description="e.g. HNPX-2025-430102-00001")
    holder_name: str
    person_id: int | None = Field(..., description="null for participants of employer or "
                                                   "service-staff training not in the registry")
    class_id: int
    class_code: str
    project_name: str
    provider_name: str
    start_date: date
    end_date: date
    hours: int
    issued_on: date
    issued_by: str = Field(..., description="who approved the completion that issued it")
    status: str
    status_label: str
    revoked_at: datetime | None
    revoke_reason: str
    region_code: str

    @staticmethod
    def resolve_class_id(obj: TrainingCertificate) -> int:
        return obj.training_class_id

    @staticmethod
    def resolve_class_code(obj: TrainingCertificate) -> str:
        return obj.training_class.code

    @staticmethod
    def resolve_issued_by(obj: TrainingCertificate) -> str:
        return obj.created_by.display_name if obj.created_by_id else ""

    @staticmethod
    def resolve_status_label(obj: TrainingCertificate) -> str:
        return str(obj.get_status_display())


class RevokeIn(Schema):
    reason: BodyText = Field(..., max_length=services.REVOKE_REASON_MAX)


class SkillCertificateOut(Schema):
    id: int
    person_id: int
    kind: str
    kind_label: str
    level: int | None = Field(..., description="5 (junior worker) … 1 (senior technician)")
    level_label: str
    occupation_code: str
    occupation_name: str
    number: str
    issuer: str
    issued_on: date

    @staticmethod
    def resolve_kind_label(obj: SkillCertificate) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_level_label(obj: SkillCertificate) -> str:
        return str(obj.get_level_display()) if obj.level else ""


class SkillCertificateIn(Schema):
    kind: SkillCertificateKind
    level: int | None = Field(None, description="required for skill_level: 5 … 1; null for "
                                                "qualification")
    occupation_name: BodyText = Field(..., max_length=60)
    occupation_code: BodyText = Field("", max_length=16, description="e.g. 4-03-02-02")
    number: BodyText = Field(..., max_length=40)
    issuer: BodyText = Field(..., max_length=120)
    issued_on: date


class VerifyOut(Schema):
    result: str = Field(..., description="valid, revoked or not_found (also for a wrong name)")
    number: str | None = None
    holder_name_masked: str | None = None
    project_name: str | None = None
    provider_name: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    hours: int | None = None
    issued_on: date | None = None
    revoked_on: date | None = None


# --- training certificates -----------------------------------------------------------------


@router.get("", response={200: list[CertificateOut], **error_responses(403, 422)},
            summary="Training certificates in your area", url_name="certificates_list")
@cursor_paginate(key="-id")
def certificates(
    request: HttpRequest,
    number: QueryText = _NUMBER_FILTER,
    class_code: QueryText = _CLASS_CODE_FILTER,
    status: CertificateStatus | None = None,
    year: int | None = Query(None, ge=2000, le=2100, description="year of issue"),
) -> QuerySet[TrainingCertificate]:
    require(request, roles.VIEW_CERTIFICATE)
    filters = selectors.CertificateFilters(number=number.strip(), class_code=class_code.strip(),
                                           status=status.value if status else "", year=year)
    return selectors.certificates_visible(user=request.user, filters=filters)


@router.get("/{int:certificate_id}", response={200: CertificateOut, **error_responses(403, 404)},
            summary="One training certificate", url_name="certificate_detail")
def certificate_detail(request: HttpRequest, certificate_id: int) -> TrainingCertificate:
    require(request, roles.VIEW_CERTIFICATE)
    return selectors.certificate_get(user=request.user, pk=certificate_id)


@router.post("/{int:certificate_id}/revoke",
             response={200: CertificateOut, **error_responses(403, 404, 422)},
             summary="Revoke a training certificate, with a reason",
             url_name="certificate_revoke")
def certificate_revoke(request: HttpRequest, certificate_id: int,
                       payload: RevokeIn) -> TrainingCertificate:
    require(request, roles.REVOKE_CERTIFICATE)
    certificate = selectors.certificate_get(user=request.user, pk=certificate_id)
    if certificate.is_valid and not certificate.can_revoke(request.user):
        raise PermissionDenied
    return services.certificate_revoke(actor=request.user, certificate=certificate,
                                       reason=payload.reason)


# --- skill certificates --------------------------------------------------------------------


@router.get("/persons/{int:person_id}/skills",
            response={200: list[SkillCertificateOut], **error_responses(403, 404)},
            summary="Skill certificates of a person", url_name="skill_certificates_list")
def skill_certificates(request: HttpRequest, person_id: int) -> list[SkillCertificate]:
    require(request, roles.VIEW_PERSON)
    person = person_get(user=request.user, pk=person_id)
    return list(selectors.skill_certificates_of(user=request.user, person=person))


@router.post("/persons/{int:person_id}/skills",
             response={201: SkillCertificateOut, **error_responses(403, 404, 422)},
             summary="Record a skill certificate of a person",
             url_name="skill_certificate_record")
def skill_certificate_record(request: HttpRequest, person_id: int,
                             payload: SkillCertificateIn) -> Status:
    require(request, roles.RECORD_SKILL_CERTIFICATE)
    person = person_get(user=request.user, pk=person_id)
    values = SkillCertificateValues(
        kind=payload.kind.value, level=payload.level, occupation_name=payload.occupation_name,
        occupation_code=payload.occupation_code, number=payload.number, issuer=payload.issuer,
        issued_on=payload.issued_on)
    try:
        certificate = services.skill_certificate_record(actor=request.user, person=person,
                                                        values=values)
    except services.SkillCertificateInvalid as error:
        raise ValidationError([
            {"loc": ("body", "payload", problem.field), "code": problem.code,
             "message": problem.message} for problem in error.problems]) from error
    return Status(201, certificate)


# --- public verification -------------------------------------------------------------------


@public_router.get("/verify", response={200: VerifyOut, **error_responses(422, 429)},
                   auth=None, url_name="certificate_verify",
                   summary="Verify a training certificate by number and full name (public)")
def verify(
    request: HttpRequest,
    number: QueryText = _VERIFY_NUMBER,
    name: QueryText = _VERIFY_NAME,
) -> object:
    allowed, wait = verify_check_allowed(request)
    if not allowed:
        from skillplan.api.router import api

        message = _("Too many checks from your address: at most %(count)s a minute. Try "
                    "again in %(wait)s seconds.") % {"count": limit_per_minute(), "wait": wait}
        response: HttpResponse = api.create_response(
            request, error_body("throttled", message), status=429)
        response["Retry-After"] = str(wait)
        return response
    answer = selectors.certificate_verify(number=number, name=name)
    if not answer.found or answer.certificate is None:
        return {"result": "not_found"}
    certificate = answer.certificate
    return {
        "result": "valid" if answer.valid else "revoked",
        "number": certificate.number, "holder_name_masked": answer.masked_name,
        "project_name": certificate.project_name, "provider_name": certificate.provider_name,
        "start_date": certificate.start_date, "end_date": certificate.end_date,
        "hours": certificate.hours, "issued_on": certificate.issued_on,
        "revoked_on": timezone.localdate(certificate.revoked_at) if certificate.revoked_at
        else None,
    }
