"""The training catalog (培训目录清单): training projects with their lifecycle and history, and
brand projects (品牌项目), one per city per two-year period.

Projects belong to a region: the province (a province-wide project, code ``43``) or a city
(``4301`` …); ``region_code`` is what scoping matches. Providers reach the projects they may
run (``providers``). Published projects are public; they are never changed in place: withdraw
one and copy it to a new draft.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.accounts.scoping import ScopeFields, can_act_on_region
from skillplan.catalog.choices import (
    EDITABLE,
    Accommodation,
    Delivery,
    NewEconomy,
    ProjectStatus,
    SubType,
    TrainingType,
)
from skillplan.core.disability import DisabilityCategory
from skillplan.core.models import TrackedModel


class TrainingProject(TrackedModel):
    code = models.CharField(_("project code"), max_length=20, unique=True, editable=False)
    name = models.CharField(_("project name"), max_length=100)
    training_type = models.CharField(_("training type"), max_length=20,
                                     choices=TrainingType.choices, db_index=True)
    sub_type = models.CharField(_("project class"), max_length=20, choices=SubType.choices,
                                blank=True, db_index=True)
    employer_name = models.CharField(_("employer"), max_length=100, blank=True)
    occupation_code = models.CharField(_("occupation code"), max_length=10, blank=True)
    occupation_name = models.CharField(_("occupation name"), max_length=60, blank=True)
    days = models.PositiveSmallIntegerField(_("training days"))
    hours = models.PositiveSmallIntegerField(_("class hours"))
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)
    fee_standard = models.DecimalField(_("fee standard (yuan per trainee)"), max_digits=9,
                                       decimal_places=2)
    categories = models.CharField(_("disability categories served"), max_length=7,
                                  help_text="digits of DisabilityCategory, sorted: 145")
    accommodations = models.PositiveIntegerField(_("accommodations"), default=0)
    summary = models.TextField(_("training content"), max_length=1000, blank=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"),
                               on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(_("region code"), max_length=12, db_index=True,
                                   editable=False)
    providers = models.ManyToManyField("providers.Provider", verbose_name=_("providers"),
                                       blank=True, related_name="catalog_projects")
    new_economy = models.CharField(_("new-economy project"), max_length=24, blank=True,
                                   choices=NewEconomy.choices)
    status = models.CharField(_("status"), max_length=12, choices=ProjectStatus.choices,
                              default=ProjectStatus.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)
    review_comment = models.CharField(_("review comment"), max_length=500, blank=True)
    copied_from = models.ForeignKey("self", verbose_name=_("copied from"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="copies")
    # Everybody who created, changed or submitted this version (maker-checker: none of them
    # may publish or return it). A project is published once; a change is a new copy.
    prepared_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                         related_name="+", editable=False)

    scope_fields = ScopeFields(region="region_code", provider="providers__id")

    class Meta:
        ordering = ["-id"]
        verbose_name = _("training project")
        verbose_name_plural = _("training projects")
        indexes = [models.Index(fields=["status", "region_code"], name="project_status_region")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    # --- what the project shows ---------------------------------------------------------

    @property
    def category_labels(self) -> list[str]:
        return [str(DisabilityCategory(code).label) for code in self.categories
                if code in DisabilityCategory.values]

    @property
    def accommodation_labels(self) -> list[str]:
        return [str(item.label) for item in Accommodation if self.accommodations & item.value]

    @property
    def is_province_wide(self) -> bool:
        return len(self.region_code) <= 2

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    # --- what may happen next (the services check the same) -------------------------------

    def can_change(self, user: Any) -> bool:
        return self.is_editable and can_act_on_region(
            user, self.region_code, permission=roles.CHANGE_PROJECT)

    def can_submit(self, user: Any) -> bool:
        return self.can_change(user)

    def was_prepared_by(self, user: Any) -> bool:
        """Did ``user`` create, change or submit this version of the project?"""
        pk = getattr(user, "pk", None)
        if pk is None:
            return False
        if pk in (self.created_by_id, self.submitted_by_id):
            return True
        return any(person.pk == pk for person in self.prepared_by.all())

    def can_review(self, user: Any) -> bool:
        """Publish or return: province reviewers, never one who prepared it (maker-checker)."""
        return (self.status == ProjectStatus.SUBMITTED and user.has_perm(roles.REVIEW_PROJECT)
                and not self.was_prepared_by(user))

    def can_withdraw(self, user: Any) -> bool:
        return self.status == ProjectStatus.PUBLISHED and user.has_perm(roles.REVIEW_PROJECT)

    def can_copy(self, user: Any) -> bool:
        return self.status in (ProjectStatus.PUBLISHED, ProjectStatus.WITHDRAWN) and (
            can_act_on_region(user, self.region_code, permission=roles.CHANGE_PROJECT))


class ProjectStep(models.Model):
    """One step of a project's lifecycle: who moved it from which status to which, and why."""

    project = models.ForeignKey(TrainingProject, on_delete=models.CASCADE, related_name="steps")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    from_status = models.CharField(max_length=12, choices=ProjectStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ProjectStatus.choices)
    comment = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.from_status} → {self.to_status}"


class BrandProject(models.Model):
    """A city's quality special project (品牌项目) for one brand period (2024–2025 …)."""

    project = models.ForeignKey(TrainingProject, verbose_name=_("project"),
                                on_delete=models.PROTECT, related_name="brands")
    city = models.ForeignKey("regions.Region", verbose_name=_("city"),
                             on_delete=models.PROTECT, related_name="+")
    city_code = models.CharField(max_length=12, db_index=True, editable=False)
    period_start = models.PositiveSmallIntegerField(_("first year of the period"))
    period_end = models.PositiveSmallIntegerField(_("last year of the period"))
    note = models.CharField(_("why this project"), max_length=300, blank=True)
    designated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    designated_at = models.DateTimeField()

    scope_fields = ScopeFields(region="city_code")

    class Meta:
        ordering = ["city_code", "-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["city_code", "period_start"],
                                    name="one_brand_per_city_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.city_code} {self.period_start}–{self.period_end}: {self.project_id}"

    @property
    def period_label(self) -> str:
        return f"{self.period_start}–{self.period_end}"
