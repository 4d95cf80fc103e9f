"""Training providers (培训机构), training bases (残疾人职业培训基地) and their annual evaluation.

A provider is an institution in a county with staff accounts (``accounts.User.provider``).
A provider applies to become a base; the city federation reviews; the province accredits it
with a level and a validity; every year an evaluation scores it on configurable indicators and
the province keeps, raises, lowers or withdraws (退出) its level. Each step is one service
(``services.py``) that writes a :class:`BaseStep` history row and an audit event.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.accounts.scoping import Reach, ScopeFields, scope_of
from skillplan.core.models import TrackedModel


class ProviderKind(models.TextChoices):
    VOCATIONAL_SCHOOL = "vocational_school", _("Vocational school (职业院校)")
    SPECIAL_SCHOOL = "special_school", _("Special education school (特殊教育学校)")
    TECHNICAL_SCHOOL = "technical_school", _("Technical school (技工院校)")
    TRAINING_INSTITUTION = "training_institution", _("Vocational training institution")
    ENTERPRISE = "enterprise", _("Enterprise (企业)")
    SOCIAL_ORGANISATION = "social_organisation", _("Social organisation (社会组织)")
    PUBLIC_TRAINING_BASE = "public_training_base", _("Public training base (公共实训基地)")
    OTHER = "other", _("Other")


class LicenceType(models.TextChoices):
    SCHOOL_PERMIT = "school_permit", _("School operating permit (办学许可证)")
    BUSINESS_LICENCE = "business_licence", _("Business licence (营业执照)")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution certificate")
    SOCIAL_ORGANISATION = "social_organisation", _("Social organisation certificate")
    OTHER = "other", _("Other licence")


# (field name, label) of the accessibility features of premises, in display order.
ACCESSIBILITY_FEATURES: tuple[tuple[str, Any], ...] = (
    ("step_free", _("Step-free entrance or ramps")),
    ("accessible_toilets", _("Accessible toilets")),
    ("accessible_lift", _("Accessible lift")),
    ("braille_signage", _("Braille and tactile signage")),
    ("sign_language_staff", _("Staff who use sign language")),
    ("induction_loop", _("Induction loop for hearing aids")),
    ("accessible_parking", _("Accessible parking")),
)


def _feature(label: Any) -> models.BooleanField:
    return models.BooleanField(label, default=False)


class Provider(TrackedModel):
    name = models.CharField(_("name"), max_length=120)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, null=True, blank=True
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("region code"), max_length=12, db_index=True, editable=False)
    kind = models.CharField(_("kind of institution"), max_length=30, choices=ProviderKind.choices,
                            default=ProviderKind.TRAINING_INSTITUTION)
    licence_type = models.CharField(_("licence type"), max_length=30, blank=True,
                                    choices=LicenceType.choices)
    licence_number = models.CharField(_("licence number"), max_length=60, blank=True)
    licence_issuer = models.CharField(_("licence issued by"), max_length=120, blank=True)
    licence_valid_until = models.DateField(_("licence valid until"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    public_phone = models.CharField(_("institution phone"), max_length=20, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact person's phone"), max_length=20, blank=True)
    capacity = models.PositiveIntegerField(_("trainees at a time"), null=True, blank=True)
    step_free = _feature(ACCESSIBILITY_FEATURES[0][1])
    accessible_toilets = _feature(ACCESSIBILITY_FEATURES[1][1])
    accessible_lift = _feature(ACCESSIBILITY_FEATURES[2][1])
    braille_signage = _feature(ACCESSIBILITY_FEATURES[3][1])
    sign_language_staff = _feature(ACCESSIBILITY_FEATURES[4][1])
    induction_loop = _feature(ACCESSIBILITY_FEATURES[5][1])
    accessible_parking = _feature(ACCESSIBILITY_FEATURES[6][1])
    accessibility_note = models.CharField(_("note on accessibility"), max_length=500, blank=True)
    published = models.BooleanField(_("shown on the public pages"), default=False)

    scope_fields = ScopeFields(region="region_code", provider="id")

    class Meta:
        ordering = ["name"]
        verbose_name = _("training provider")
        verbose_name_plural = _("training providers")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        # Denormalised for scoping; derived, not business logic.
        self.region_code = self.region.code
        super().save(*args, **kwargs)

    @property
    def city_code(self) -> str:
        return self.region_code[:4]

    def accessibility_features(self) -> list[Any]:
        """Labels of the features the premises have."""
        return [label for name, label in ACCESSIBILITY_FEATURES if getattr(self, name)]


# --- Training bases -----------------------------------------------------------------------


class BaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft application")
    APPLIED = "applied", _("Applied, awaiting city review")
    RETURNED = "returned", _("Returned to the provider for changes")
    CITY_REVIEWED = "city_reviewed", _("Recommended by the city, awaiting accreditation")
    ACCREDITED = "accredited", _("Accredited")
    REJECTED = "rejected", _("Not accredited")
    WITHDRAWN = "withdrawn", _("Withdrawn (退出)")
    EXPIRED = "expired", _("Expired")


# An accredited base whose validity has ended counts as expired (``is_expired``) at once; its
# status becomes EXPIRED when the provider applies again.
CLOSED_STATUSES = (BaseStatus.REJECTED, BaseStatus.WITHDRAWN, BaseStatus.EXPIRED)


class BaseLevel(models.TextChoices):
    NATIONAL = "national", _("National (国家级)")
    PROVINCIAL = "provincial", _("Provincial (省级)")
    CITY = "city", _("City (市级)")


# From the lowest level to the highest: raising moves right, lowering left.
LEVEL_ORDER = (BaseLevel.CITY, BaseLevel.PROVINCIAL, BaseLevel.NATIONAL)


class StepAction(models.TextChoices):
    SAVED = "saved", _("Application saved")
    SUBMITTED = "submitted", _("Application submitted")
    CITY_APPROVED = "city_approved", _("Recommended by the city")
    CITY_RETURNED = "city_returned", _("Returned by the city")
    ACCREDITED = "accredited", _("Accredited")
    REJECTED = "rejected", _("Not accredited")
    EVALUATION_RECORDED = "evaluation_recorded", _("Annual evaluation scored")
    KEPT = "kept", _("Level kept after evaluation")
    RAISED = "raised", _("Level raised after evaluation")
    LOWERED = "lowered", _("Level lowered after evaluation")
    WITHDRAWN = "withdrawn", _("Withdrawn after evaluation")
    EXPIRED = "expired", _("Accreditation expired")


# Steps published on the public pages (review results, 公示).
PUBLISHED_ACTIONS = (StepAction.ACCREDITED, StepAction.KEPT, StepAction.RAISED,
                     StepAction.LOWERED, StepAction.WITHDRAWN)


def _has(user: Any, permission: str) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(permission))


class TrainingBase(TrackedModel):
    """One application of a provider to be a base, and, once accredited, the base itself."""

    provider = models.ForeignKey(Provider, verbose_name=_("training provider"),
                                 on_delete=models.PROTECT, related_name="bases")
    name = models.CharField(_("base name"), max_length=160)
    region_code = models.CharField(_("region code"), max_length=12, db_index=True,
                                   editable=False)
    status = models.CharField(_("status"), max_length=20, choices=BaseStatus.choices,
                              default=BaseStatus.DRAFT, db_index=True)
    requested_level = models.CharField(_("level applied for"), max_length=12,
                                       choices=BaseLevel.choices, default=BaseLevel.CITY)
    level = models.CharField(_("level"), max_length=12, choices=BaseLevel.choices, blank=True)
    training_offer = models.TextField(
        _("training offered"), max_length=2000,
        help_text=_("The trades and courses the base runs for disabled trainees."))
    facilities = models.TextField(_("facilities and teachers"), max_length=2000, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("applied by"))
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    city_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+",
                                         verbose_name=_("reviewed by (city)"))
    city_reviewed_at = models.DateTimeField(_("reviewed at (city)"), null=True, blank=True)
    accredited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+",
                                      verbose_name=_("accredited by"))
    accredited_at = models.DateTimeField(_("accredited at"), null=True, blank=True)
    last_comment = models.CharField(_("latest comment"), max_length=1000, blank=True)

    scope_fields = ScopeFields(region="region_code", provider="provider_id")

    class Meta:
        ordering = ["region_code", "name"]
        verbose_name = _("training base")
        verbose_name_plural = _("training bases")
        constraints = [
            models.UniqueConstraint(
                fields=["provider"],
                condition=~Q(status__in=["rejected", "withdrawn", "expired"]),
                name="providers_one_open_base_per_provider",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.region_code = self.provider.region_code
        super().save(*args, **kwargs)

    @property
    def city_code(self) -> str:
        return self.region_code[:4]

    # --- Who may act next (pure predicates; the services check them again) ---------------

    def _covers(self, user: Any) -> bool:
        scope = scope_of(user)
        return scope.reach in (Reach.PROVINCE, Reach.REGION) and scope.covers_region(
            self.region_code)

    def is_provider_staff(self, user: Any) -> bool:
        return _has(user, roles.APPLY_BASE) and user.provider_id == self.provider_id

    def can_edit_application(self, user: Any) -> bool:
        return self.status in (BaseStatus.DRAFT, BaseStatus.RETURNED) and self.is_provider_staff(
            user)

    def can_submit(self, user: Any) -> bool:
        return self.can_edit_application(user)

    def can_city_review(self, user: Any) -> bool:
        return (self.status == BaseStatus.APPLIED and _has(user, roles.REVIEW_BASE)
                and self._covers(user))

    def can_accredit(self, user: Any) -> bool:
        return (self.status == BaseStatus.CITY_REVIEWED and _has(user, roles.ACCREDIT_BASE)
                and self._covers(user) and not self.prepared_by(user))

    @property
    def is_expired(self) -> bool:
        """Accredited, but the last day of the validity has passed (or closed as expired)."""
        if self.status == BaseStatus.EXPIRED:
            return True
        return (self.status == BaseStatus.ACCREDITED and self.valid_until is not None
                and self.valid_until < timezone.localdate())

    def can_record_evaluation(self, user: Any) -> bool:
        """The city of the base, or the province, scores the year's evaluation (never of an
        expired accreditation)."""
        if self.status != BaseStatus.ACCREDITED or self.is_expired or not self._covers(user):
            return False
        return _has(user, roles.REVIEW_BASE) or _has(user, roles.EVALUATE_BASE)

    def prepared_by(self, user: Any) -> bool:
        """Did ``user`` apply for or review this base (so may not decide on it)?"""
        pk = getattr(user, "pk", None)
        return pk is not None and pk in (self.applied_by_id, self.city_reviewed_by_id)

    def next_owner(self) -> Any:
        """Who is expected to act now, in words."""
        if self.status == BaseStatus.ACCREDITED and self.is_expired:
            return _("The provider: apply again to renew the accreditation")
        return {
            BaseStatus.DRAFT: _("The provider: submit the application"),
            BaseStatus.RETURNED: _("The provider: change and submit the application again"),
            BaseStatus.APPLIED: _("The city federation: review the application"),
            BaseStatus.CITY_REVIEWED: _("The province federation: accredit or refuse"),
            BaseStatus.ACCREDITED: _("The city or province federation: annual evaluation"),
        }.get(BaseStatus(self.status), _("Nobody: this application is closed"))


class BaseStep(models.Model):
    """One step in a base's history: who did what, from which status to which, and why."""

    base = models.ForeignKey(TrainingBase, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("step"), max_length=30, choices=StepAction.choices)
    from_status = models.CharField(_("from status"), max_length=20, choices=BaseStatus.choices,
                                   blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=BaseStatus.choices)
    level = models.CharField(_("level"), max_length=12, choices=BaseLevel.choices, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("by"))
    actor_name = models.CharField(_("by"), max_length=100, blank=True)
    comment = models.CharField(_("comment"), max_length=1000, blank=True)
    at = models.DateTimeField(_("at"), db_index=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("base history step")
        verbose_name_plural = _("base history steps")

    def __str__(self) -> str:
        return f"{self.base_id} {self.action}"

    @property
    def is_published(self) -> bool:
        return self.action in PUBLISHED_ACTIONS


# --- Annual evaluation ----------------------------------------------------------------------


class EvaluationIndicator(models.Model):
    """One configurable indicator of the annual evaluation.

    Points (0–100) come from the value: for an ordinary indicator ``value / reference`` (full
    marks at or above the reference); for a negative one (complaints) ``1 - value /
    reference`` (full marks at zero, none at or above the reference). The total is the
    weighted mean of the points.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("indicator name"), max_length=80)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0"))])
    reference = models.DecimalField(
        _("reference value"), max_digits=10, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("The value that earns full marks; for a negative indicator, the value "
                    "that earns no marks."))
    negative = models.BooleanField(_("lower is better"), default=False)
    active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("evaluation indicator")
        verbose_name_plural = _("evaluation indicators")

    def __str__(self) -> str:
        return self.name

    def points_for(self, value: Decimal) -> Decimal:
        ratio = min(max(value, Decimal(0)) / self.reference, Decimal(1))
        points = (Decimal(1) - ratio if self.negative else ratio) * 100
        return points.quantize(Decimal("0.01"))


class EvaluationOutcome(models.TextChoices):
    KEEP = "keep", _("Keep the level")
    RAISE = "raise", _("Raise the level")
    LOWER = "lower", _("Lower the level")
    WITHDRAW = "withdraw", _("Withdraw the base (退出)")


class EvaluationStatus(models.TextChoices):
    SCORED = "scored", _("Scored, awaiting the province's decision")
    DECIDED = "decided", _("Decided")


class BaseEvaluation(TrackedModel):
    base = models.ForeignKey(TrainingBase, on_delete=models.PROTECT, related_name="evaluations",
                             verbose_name=_("training base"))
    year = models.PositiveSmallIntegerField(_("year evaluated"))
    status = models.CharField(_("status"), max_length=10, choices=EvaluationStatus.choices,
                              default=EvaluationStatus.SCORED)
    total = models.DecimalField(_("weighted total"), max_digits=6, decimal_places=2)
    proposed_outcome = models.CharField(_("proposed outcome"), max_length=10,
                                        choices=EvaluationOutcome.choices)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("scored by"))
    scored_comment = models.CharField(_("notes of the scorer"), max_length=1000, blank=True)
    outcome = models.CharField(_("decision"), max_length=10, choices=EvaluationOutcome.choices,
                               blank=True)
    level_before = models.CharField(_("level before"), max_length=12,
                                    choices=BaseLevel.choices, blank=True)
    level_after = models.CharField(_("level after"), max_length=12, choices=BaseLevel.choices,
                                   blank=True)
    reason = models.CharField(_("reason for the decision"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    region_code = models.CharField(_("region code"), max_length=12, db_index=True,
                                   editable=False)

    scope_fields = ScopeFields(region="region_code", provider="base__provider_id")

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("annual base evaluation")
        verbose_name_plural = _("annual base evaluations")
        constraints = [
            models.UniqueConstraint(fields=["base", "year"],
                                    name="providers_one_evaluation_per_base_year"),
        ]

    def __str__(self) -> str:
        return f"{self.base} {self.year}"

    def can_decide(self, user: Any) -> bool:
        """Province staff who neither scored it nor applied for or reviewed the base."""
        if self.status != EvaluationStatus.SCORED or not _has(user, roles.EVALUATE_BASE):
            return False
        if not self.base._covers(user) or user.pk == self.scored_by_id:
            return False
        return not self.base.prepared_by(user)


class EvaluationScore(models.Model):
    evaluation = models.ForeignKey(BaseEvaluation, on_delete=models.CASCADE,
                                   related_name="scores")
    indicator = models.ForeignKey(EvaluationIndicator, on_delete=models.PROTECT,
                                  related_name="+")
    value = models.DecimalField(_("value"), max_digits=10, decimal_places=2)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["indicator__order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "indicator"],
                                    name="providers_one_score_per_indicator"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"
