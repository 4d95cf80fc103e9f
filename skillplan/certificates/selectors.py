"""Scoped reads of certificates (through ``accounts/scoping.py``), and the public check.

Federation staff see the certificates of their region, a provider those of its own classes, a
trainee their own. The public verification (:func:`certificate_verify`) answers by number and
full name only, and says nothing more about a number whose name does not match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from skillplan.accounts import roles
from skillplan.accounts.scoping import get_in_scope, restrict
from skillplan.certificates.choices import CertificateStatus
from skillplan.certificates.models import SkillCertificate, TrainingCertificate
from skillplan.core.masking import mask_name
from skillplan.people.models import Person
from skillplan.training.models import TrainingClass

_RELATED = ("training_class", "created_by", "revoked_by")


@dataclass(frozen=True)
class CertificateFilters:
    number: str = ""
    class_code: str = ""
    status: str = ""
    year: int | None = None  # the year of issue

    def active(self) -> bool:
        return any((self.number, self.class_code, self.status, self.year))


def certificates_visible(*, user: Any, filters: CertificateFilters | None = None
                         ) -> QuerySet[TrainingCertificate]:
    """The certificates ``user`` may see that match ``filters``, newest first."""
    rows = restrict(TrainingCertificate.objects.select_related(*_RELATED), user,
                    permission=roles.VIEW_CERTIFICATE)
    filters = filters or CertificateFilters()
    if filters.number:
        rows = rows.filter(number__in={filters.number, filters.number.upper()})
    if filters.class_code:
        rows = rows.filter(training_class__code=filters.class_code.upper())
    if filters.status in CertificateStatus.values:
        rows = rows.filter(status=filters.status)
    if filters.year:
        rows = rows.filter(issued_on__gte=date(filters.year, 1, 1),
                           issued_on__lte=date(filters.year, 12, 31))
    return rows.order_by("-id")


def certificate_get(*, user: Any, pk: int) -> TrainingCertificate:
    """One certificate in scope, or Http404 (the same answer as for a missing one)."""
    return get_in_scope(TrainingCertificate.objects.select_related(*_RELATED), user,
                        permission=roles.VIEW_CERTIFICATE, pk=pk)


def certificates_of_class(*, user: Any, training_class: TrainingClass
                          ) -> QuerySet[TrainingCertificate]:
    return (restrict(TrainingCertificate.objects.select_related(*_RELATED), user,
                     permission=roles.VIEW_CERTIFICATE)
            .filter(training_class=training_class).order_by("number"))


def certificates_of_person(*, user: Any, person: Person) -> QuerySet[TrainingCertificate]:
    return (restrict(TrainingCertificate.objects.select_related("training_class"), user,
                     permission=roles.VIEW_CERTIFICATE)
            .filter(person=person).order_by("-issued_on", "-id"))


def skill_certificates_of(*, user: Any, person: Person) -> QuerySet[SkillCertificate]:
    """The skill certificates of ``person`` that ``user`` may see (the caller holds the person
    through its own scoped read)."""
    return restrict(SkillCertificate.objects.all(), user,
                    permission=roles.VIEW_CERTIFICATE).filter(person=person)


def skill_certificate_get(*, user: Any, pk: int) -> SkillCertificate:
    return get_in_scope(SkillCertificate.objects.select_related("person"), user,
                        permission=roles.VIEW_CERTIFICATE, pk=pk)


# --- public verification -------------------------------------------------------------------

_DOTS = re.compile(r"[·•・．.‧∙⋅]")


def normalise_name(value: str) -> str:
    """Compare names without case, extra spaces or the kind of middle dot typed
    (阿依古丽·买买提 may be typed with any of several dots)."""
    return _DOTS.sub("·", " ".join((value or "").split())).casefold()


def normalise_number(value: str) -> str:
    return "".join((value or "").split())


@dataclass(frozen=True)
class VerifyAnswer:
    """What the public is told: ``found`` False for a wrong number or a wrong name alike."""

    found: bool
    certificate: TrainingCertificate | None = None

    @property
    def valid(self) -> bool:
        return self.certificate is not None and self.certificate.is_valid

    @property
    def revoked(self) -> bool:
        return self.certificate is not None and not self.certificate.is_valid

    @property
    def masked_name(self) -> str:
        return mask_name(self.certificate.holder_name) if self.certificate else ""


def certificate_verify(*, number: str, name: str) -> VerifyAnswer:
    """The public check: the certificate with this number, only if the name matches too."""
    number = normalise_number(number)
    if not number or not normalise_name(name):
        return VerifyAnswer(found=False)
    certificate = (TrainingCertificate.objects.filter(number__in={number, number.upper()})
                   .order_by("id").first())
    if certificate is None or normalise_name(certificate.holder_name) != normalise_name(name):
        return VerifyAnswer(found=False)
    return VerifyAnswer(found=True, certificate=certificate)
