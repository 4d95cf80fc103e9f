"""Every write of certificates: training certificates issued when a class's completion is
approved, their revocation, and the skill certificates recorded for a person.

Training certificates are issued by :func:`certificates_issue_for_class`, which the class
lifecycle calls inside ``class_approve_completion`` (same transaction): one certificate per
active enrolment that passed and has none yet. What a certificate says (holder, project,
provider, dates, hours) is copied onto it, so later changes of those records do not change a
certificate already issued.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.accounts.scoping import can_act_on_region
from skillplan.audit.services import audit_record
from skillplan.certificates.choices import CertificateStatus
from skillplan.certificates.models import SkillCertificate, TrainingCertificate
from skillplan.certificates.numbers import allocate_numbers
from skillplan.certificates.rules import Problem, SkillCertificateValues, check_skill_certificate
from skillplan.core.errors import RuleError
from skillplan.core.models import save_new, save_versioned
from skillplan.people.models import Person
from skillplan.training.choices import ClassStatus, EnrolmentStatus
from skillplan.training.models import Enrolment, TrainingClass

REVOKE_REASON_MAX = 300
# Classes whose completion is being approved (or was): the only ones that get certificates.
_ISSUING = frozenset({ClassStatus.COMPLETION_SUBMITTED, ClassStatus.COMPLETION_APPROVED})


class SkillCertificateInvalid(RuleError):
    """The values of a skill certificate break its rules; ``problems`` says where."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].code, problems[0].message)
        self.problems = problems
        self.field = problems[0].field


def _actor_id(actor: Any) -> int | None:
    return getattr(actor, "pk", None)


# --- training certificates -----------------------------------------------------------------


def _certificate_for(enrolment: Enrolment, training_class: TrainingClass, number: str,
                     actor: Any, today: Any) -> TrainingCertificate:
    return TrainingCertificate(
        number=number, enrolment=enrolment, person=enrolment.person,
        training_class=training_class, holder_name=enrolment.display_name,
        project_name=training_class.project.name, provider_name=training_class.provider.name,
        start_date=training_class.start_date, end_date=training_class.end_date,
        hours=training_class.hours, issued_on=today, status=CertificateStatus.VALID,
        region_code=training_class.region_code, created_by_id=_actor_id(actor),
        updated_by_id=_actor_id(actor),
    )


def _given_numbers_free(enrolments: list[Enrolment]) -> None:
    given = [e.certificate_number for e in enrolments if e.certificate_number]
    taken = sorted(TrainingCertificate.objects.filter(number__in=given)
                   .values_list("number", flat=True))
    if taken:
        raise RuleError("certificate_duplicate", _(
            "The certificate number %(number)s is already used by another certificate. "
            "Correct the trainee's results before approving completion.") % {
            "number": taken[0]})


@transaction.atomic
def certificates_issue_for_class(*, actor: Any, training_class: TrainingClass
                                 ) -> list[TrainingCertificate]:
    """Issue a 培训合格证书 to every active trainee of ``training_class`` who passed and has
    none yet; returns the certificates issued now (none when called again)."""
    training_class = (TrainingClass.objects.select_for_update(of=("self",))
                      .select_related("project", "provider").get(pk=training_class.pk))
    if training_class.status not in _ISSUING:
        raise RuleError("not_allowed", _(
            "Certificates are issued only when the completion of the class is approved."))
    enrolments = list(
        Enrolment.objects.filter(training_class=training_class,
                                 status=EnrolmentStatus.ENROLLED, passed=True,
                                 certificate__isnull=True)
        .select_related("person").order_by("id"))
    if not enrolments:
        return []
    _given_numbers_free(enrolments)
    generated = iter(allocate_numbers(
        training_class, sum(1 for e in enrolments if not e.certificate_number)))
    today = timezone.localdate()
    certificates = [
        _certificate_for(enrolment, training_class,
                         enrolment.certificate_number or next(generated), actor, today)
        for enrolment in enrolments
    ]
    try:
        with transaction.atomic():
            created = TrainingCertificate.objects.bulk_create(certificates)
    except IntegrityError as exc:  # a number taken in a concurrent transaction
        raise RuleError("certificate_duplicate", _(
            "A certificate number was taken at the same moment by another class. Approve "
            "the completion again.")) from exc
    audit_record(actor=actor, event="certificate.issued", target=training_class,
                 region_code=training_class.region_code,
                 after={"count": len(created), "numbers": [c.number for c in created]})
    return created


@transaction.atomic
def certificate_revoke(*, actor: Any, certificate: TrainingCertificate,
                       reason: str) -> TrainingCertificate:
    """Revoke a valid certificate with a reason; the public verification then says so."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise RuleError("reason_required", _(
            "Give the reason for revoking the certificate; the holder and the public "
            "verification page will see that it was revoked."))
    if len(reason) > REVOKE_REASON_MAX:
        raise RuleError("reason_too_long", _(
            "Keep the reason within %(count)s characters.") % {"count": REVOKE_REASON_MAX})
    locked = (TrainingCertificate.objects.select_for_update(of=("self",))
              .select_related("training_class").get(pk=certificate.pk))
    if not locked.is_valid:
        raise RuleError("already_revoked", _("This certificate has already been revoked."))
    if not locked.can_revoke(actor):
        raise RuleError("not_allowed", _(
            "Only federation staff over the class's region or the provider that issued the "
            "certificate may revoke it."))
    locked.status = CertificateStatus.REVOKED
    locked.revoked_at = timezone.now()
    locked.revoked_by_id = _actor_id(actor)
    locked.revoke_reason = reason
    save_versioned(locked, actor=actor, expected_version=locked.version,
                   fields=["status", "revoked_at", "revoked_by", "revoke_reason"])
    audit_record(actor=actor, event="certificate.revoked", target=locked,
                 region_code=locked.region_code,
                 before={"status": CertificateStatus.VALID},
                 after={"status": CertificateStatus.REVOKED, "revoke_reason": reason})
    return locked


# --- skill certificates --------------------------------------------------------------------


_SKILL_FIELDS = ["kind", "level", "occupation_code", "occupation_name", "number", "issuer",
                 "issued_on"]


@transaction.atomic
def skill_certificate_record(*, actor: Any, person: Person,
                             values: SkillCertificateValues) -> SkillCertificate:
    """Record a skill level or qualification certificate ``person`` holds."""
    if not can_act_on_region(actor, person.region_code,
                             permission=roles.RECORD_SKILL_CERTIFICATE):
        raise RuleError("not_allowed", _(
            "Only federation staff over the person's household region may record their "
            "certificates."))
    if person.merged_into_id:
        raise RuleError("person_merged", _(
            "This record was merged into another one; record the certificate there."))
    problems = check_skill_certificate(values)
    if not problems and SkillCertificate.objects.filter(
            issuer=values.issuer, number=values.number).exists():
        problems.append(Problem("number", "skill_certificate_duplicate", str(_(
            "A certificate with this number from this issuer is already recorded."))))
    if problems:
        raise SkillCertificateInvalid(problems)
    certificate = SkillCertificate(person=person, region_code=person.region_code,
                                   **{name: getattr(values, name) for name in _SKILL_FIELDS})
    try:
        with transaction.atomic():
            save_new(certificate, actor=actor)
    except IntegrityError as exc:
        raise SkillCertificateInvalid([Problem("number", "skill_certificate_duplicate", str(_(
            "A certificate with this number from this issuer is already recorded.")))]
        ) from exc
    audit_record(actor=actor, event="skill_certificate.recorded", target=certificate,
                 region_code=certificate.region_code,
                 after={"person_id": person.pk,
                        **{name: getattr(certificate, name) for name in _SKILL_FIELDS}})
    return certificate


@transaction.atomic
def skill_certificate_delete(*, actor: Any, certificate: SkillCertificate) -> None:
    """Remove a skill certificate recorded by mistake (the audit trail keeps what it said)."""
    if not certificate.can_change(actor):
        raise RuleError("not_allowed", _(
            "Only federation staff over the person's household region may remove their "
            "certificates."))
    before = {"person_id": certificate.person_id,
              **{name: getattr(certificate, name) for name in _SKILL_FIELDS}}
    audit_record(actor=actor, event="skill_certificate.deleted", target=certificate,
                 region_code=certificate.region_code, before=before)
    certificate.delete()
