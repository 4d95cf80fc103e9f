"""The registry of disabled persons: one record per person, keyed by the ID number.

ID number, certificate number and phone are stored encrypted (AES-GCM); exact-match search
uses keyed hashes (``id_hash`` is unique: one ID, one person). Birth date, gender and region
codes stay in clear for statistics.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from skillplan.accounts.scoping import ScopeFields
from skillplan.core.crypto import EncryptedTextField
from skillplan.core.disability import DisabilityCategory, DisabilityGrade
from skillplan.core.masking import mask_id_number, mask_name, mask_phone
from skillplan.core.models import TrackedModel
from skillplan.people.choices import (
    Education,
    EmploymentStatus,
    Gender,
    SpecialGroup,
    UrbanRural,
)


class Person(TrackedModel):
    # Indexes are in Meta, one for each kind of query that needs it: every index costs each
    # row of an import (benchmarks/bench_import.py). Foreign keys nobody searches by get none.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False, db_index=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False, db_index=False,
    )
    name = models.CharField(_("full name"), max_length=50)
    id_number = EncryptedTextField(_("ID number"))
    id_hash = models.CharField(max_length=64, null=True, editable=False)  # unique: see Meta
    certificate_number = EncryptedTextField(_("disability certificate number"), blank=True)
    category = models.CharField(
        _("disability category"), max_length=1, choices=DisabilityCategory.choices, blank=True,
    )
    grade = models.CharField(
        _("disability grade"), max_length=1, choices=DisabilityGrade.choices, blank=True
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), db_index=True)  # age bands
    ethnicity = models.CharField(_("ethnicity"), max_length=16, blank=True)
    education = models.CharField(
        _("education"), max_length=16, choices=Education.choices, blank=True
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("household county"), on_delete=models.PROTECT,
        related_name="+", db_index=False,  # lists and scope go by region_code
    )
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    urban_rural = models.CharField(
        _("urban or rural"), max_length=8, choices=UrbanRural.choices, blank=True
    )
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    employment_status = models.CharField(
        _("employment status"), max_length=16, choices=EmploymentStatus.choices, blank=True
    )
    flags = models.PositiveIntegerField(_("special groups"), default=0)
    notes = models.TextField(_("notes"), max_length=500, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("trainee account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="person",
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", editable=False, db_index=False,
    )

    scope_fields = ScopeFields(region="region_code", owner="user_id")

    class Meta:
        ordering = ["-id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            # One ID number, one person. A constraint rather than unique=True: on PostgreSQL
            # that would add a second (LIKE) index on the hash, which nobody searches by prefix.
            models.UniqueConstraint(fields=["id_hash"], name="person_id_hash_unique"),
        ]
        indexes = [
            models.Index(fields=["region_code", "-id"], name="person_region_recent"),
            # region_code__startswith (scope, region filter) and name__startswith (search): on
            # PostgreSQL these need the pattern operator class; equality on region_code and
            # name is served by the two composite indexes.
            models.Index(fields=["region_code"], name="person_region_prefix",
                         opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["name"], name="person_name_prefix",
                         opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["name", "birth_date"], name="person_name_birth"),
            models.Index(fields=["category"], name="person_category"),
            models.Index(fields=["phone_hash"], name="person_phone_hash"),
            # Few persons are merged: a partial index finds them (and lets a delete check
            # its references) without costing the others anything.
            models.Index(fields=["merged_into"], name="person_merged_into",
                         condition=models.Q(merged_into__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.masked_name

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_certificate_number(self) -> str:
        return mask_id_number(self.certificate_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def special_groups(self) -> list[str]:
        """Stored groups plus the derived ones, as labels."""
        labels = [str(group.label) for group in SpecialGroup if self.flags & group.value]
        if self.gender == Gender.FEMALE:
            labels.insert(0, str(_("Disabled woman")))
        if self.category == DisabilityCategory.VISUAL:
            labels.insert(0, str(_("Blind or low vision")))
        if self.urban_rural == UrbanRural.RURAL:
            labels.insert(0, str(_("Rural disabled person")))
        return labels

    def age_on(self, day: date) -> int:
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday

    def is_working_age(self, day: date) -> bool:
        low, high = settings.SKILLPLAN_WORKING_AGE[self.gender]
        return low <= self.age_on(day) <= high
