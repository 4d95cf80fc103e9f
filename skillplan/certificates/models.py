"""Certificates: the training certificate (培训合格证书) a provider issues to each trainee who
passed a class whose completion was approved, and the skill certificates (职业技能等级证书,
职业资格证书) a person holds. Training certificates are publicly verifiable by number and name.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.accounts.scoping import ScopeFields, can_act_on_region
from skillplan.certificates.choices import CertificateStatus, SkillCertificateKind, SkillLevel
from skillplan.core.models import TrackedModel


class CertificateNumberCounter(models.Model):
    """The last sequence number used for certificate numbers of one county and year
    (HNPX-2025-430102-00001); locked with select_for_update while numbers are handed out."""

    county_code = models.CharField(max_length=6)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["county_code", "year"],
                                               name="certificate_counter_unique")]

    def __str__(self) -> str:
        return f"{self.county_code}-{self.year}: {self.last}"


class TrainingCertificate(TrackedModel):
    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    enrolment = models.OneToOneField("training.Enrolment", verbose_name=_("enrolment"),
                                     on_delete=models.PROTECT, related_name="certificate")
    person = models.ForeignKey("people.Person", verbose_name=_("holder"), null=True,
                               blank=True, on_delete=models.PROTECT,
                               related_name="training_certificates")
    training_class = models.ForeignKey("training.TrainingClass",
                                       verbose_name=_("training class"),
                                       on_delete=models.PROTECT, related_name="certificates")
    # What the certificate says, kept as issued (names of the holder, project and provider).
    holder_name = models.CharField(_("holder's name"), max_length=50)
    project_name = models.CharField(_("training project"), max_length=100)
    provider_name = models.CharField(_("training provider"), max_length=120)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    hours = models.PositiveSmallIntegerField(_("class hours"))
    issued_on = models.DateField(_("issued on"))
    status = models.CharField(_("status"), max_length=10, choices=CertificateStatus.choices,
                              default=CertificateStatus.VALID, db_index=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("revoked by"))
    revoke_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)
    region_code = models.CharField(_("region code"), max_length=12, db_index=True,
                                   editable=False)

    scope_fields = ScopeFields(region="region_code", provider="training_class__provider_id",
                               owner="person__user_id")

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("training certificate")
        verbose_name_plural = _("training certificates")

    def __str__(self) -> str:
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VALID

    def can_revoke(self, user: Any) -> bool:
        """A valid certificate may be revoked by federation staff over its region or by the
        staff of the provider that issued it."""
        if not self.is_valid or not (user is not None and user.is_authenticated
                                     and user.has_perm(roles.REVOKE_CERTIFICATE)):
            return False
        if getattr(user, "provider_id", None):
            return user.provider_id == self.training_class.provider_id
        return can_act_on_region(user, self.region_code, permission=roles.REVOKE_CERTIFICATE)


class SkillCertificate(TrackedModel):
    """A skill level or qualification certificate a person holds (recorded, not issued here)."""

    person = models.ForeignKey("people.Person", verbose_name=_("holder"),
                               on_delete=models.PROTECT, related_name="skill_certificates")
    kind = models.CharField(_("kind of certificate"), max_length=16,
                            choices=SkillCertificateKind.choices)
    level = models.PositiveSmallIntegerField(_("rank"), choices=SkillLevel.choices, null=True,
                                             blank=True)
    occupation_code = models.CharField(_("occupation code"), max_length=10, blank=True)
    occupation_name = models.CharField(_("occupation"), max_length=60)
    number = models.CharField(_("certificate number"), max_length=40)
    issuer = models.CharField(_("issued by"), max_length=120)
    issued_on = models.DateField(_("issued on"))
    training_class = models.ForeignKey("training.TrainingClass", null=True, blank=True,
                                       verbose_name=_("after the class"),
                                       on_delete=models.SET_NULL, related_name="+")
    region_code = models.CharField(_("region code"), max_length=12, db_index=True,
                                   editable=False)

    scope_fields = ScopeFields(region="region_code", owner="person__user_id")

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("skill certificate")
        verbose_name_plural = _("skill certificates")
        constraints = [models.UniqueConstraint(fields=["issuer", "number"],
                                               name="skill_certificate_unique_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.occupation_name}"

    def can_change(self, user: Any) -> bool:
        """Federation staff over the holder's region record and remove skill certificates."""
        return can_act_on_region(user, self.region_code,
                                 permission=roles.RECORD_SKILL_CERTIFICATE)
