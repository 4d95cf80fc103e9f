"""Subsidies (补贴): standards by item, training type and region; each trainee's computed
entitlement, explained line by line; claims through review and approval to payment; purchased
services (政府购买服务) and what is spent against them.

Money is ``Decimal`` yuan with two places. A computed entitlement keeps the figures of the
standard it used, so changing a standard never rewrites what was computed. An approved claim is
locked; a correction is a new adjustment claim linked to it.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skillplan.accounts.scoping import ScopeFields
from skillplan.catalog.choices import TrainingType
from skillplan.core.models import TrackedModel
from skillplan.subsidies.choices import (
    ClaimAction,
    ClaimKind,
    ClaimStatus,
    EntitlementStatus,
    PayingLevel,
    RateBasis,
    SubsidyItem,
    TenderMethod,
)

ZERO = Decimal("0.00")


def _money(label: str | object, **kwargs: object) -> models.DecimalField:
    return models.DecimalField(label, max_digits=12, decimal_places=2,
                               validators=[MinValueValidator(ZERO)], **kwargs)


def _share(label: str | object) -> models.DecimalField:
    return models.DecimalField(label, max_digits=5, decimal_places=2, default=ZERO,
                               validators=[MinValueValidator(ZERO),
                                           MaxValueValidator(Decimal("100"))])


class SubsidyStandard(TrackedModel):
    """One rate (补贴标准) for an item and training type, province-wide or for one city, over an
    effective period. The city's own standard wins over the province default."""

    item = models.CharField(_("subsidy item"), max_length=16, choices=SubsidyItem.choices)
    training_type = models.CharField(_("training type"), max_length=20,
                                     choices=TrainingType.choices)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"),
                               on_delete=models.PROTECT, related_name="+",
                               help_text=_("The province for the default, or a city."))
    region_code = models.CharField(_("region code"), max_length=12, db_index=True,
                                   editable=False)
    basis = models.CharField(_("how the rate applies"), max_length=20,
                             choices=RateBasis.choices)
    rate = _money(_("rate (yuan)"))
    max_days = models.PositiveSmallIntegerField(
        _("at most this many days"), null=True, blank=True,
        help_text=_("For rates per day: the days paid at most."))
    min_days = models.PositiveSmallIntegerField(
        _("class of at least this many days"), null=True, blank=True,
        help_text=_("For rates per trainee: the class must last at least this many days."))
    cap = _money(_("cap per trainee (yuan)"), null=True, blank=True)
    share_province = _share(_("share paid by the province (%)"))
    share_city = _share(_("share paid by the city (%)"))
    share_county = _share(_("share paid by the county (%)"))
    pays_without_completion = models.BooleanField(
        _("paid by days attended even without completion"), default=False)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    is_example = models.BooleanField(_("example figure (to be replaced by the real standard)"),
                                     default=False)
    basis_text = models.CharField(_("legal basis"), max_length=200, blank=True,
                                  help_text=_("The document that sets the standard."))
    # Competition training subsidy only: what it pays for (CompetitionCost values, comma
    # separated); prizes, travel, board and sundries are refused (``competition_excluded``).
    cost_kinds = models.CharField(_("costs covered"), max_length=60, blank=True)

    scope_fields = ScopeFields(region="region_code")

    class Meta:
        ordering = ["item", "training_type", "region_code", "-effective_from"]
        verbose_name = _("subsidy standard")
        verbose_name_plural = _("subsidy standards")
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="standard_period_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()} {self.get_training_type_display()} {self.rate}"


class Entitlement(models.Model):
    """What one trainee is owed for one item of one class, with how it was computed.

    Computed once by the computation service and never changed; a recomputation voids the old
    row and writes a new one. ``period_start``/``period_end`` are the class dates: the same
    person is never owed the same item twice for overlapping periods (across classes and
    providers)."""

    enrolment = models.ForeignKey("training.Enrolment", verbose_name=_("enrolment"),
                                  on_delete=models.PROTECT, related_name="entitlements")
    training_class = models.ForeignKey("training.TrainingClass",
                                       verbose_name=_("training class"),
                                       on_delete=models.PROTECT, related_name="entitlements")
    person = models.ForeignKey("people.Person", verbose_name=_("person"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")
    item = models.CharField(_("subsidy item"), max_length=16, choices=SubsidyItem.choices)
    standard = models.ForeignKey(SubsidyStandard, verbose_name=_("standard"),
                                 on_delete=models.PROTECT, related_name="entitlements")
    # The standard's figures as used (a later change of the standard rewrites nothing).
    basis = models.CharField(_("how the rate applies"), max_length=20,
                             choices=RateBasis.choices)
    rate = _money(_("rate (yuan)"))
    quantity = models.DecimalField(_("quantity"), max_digits=7, decimal_places=2)
    amount = _money(_("amount (yuan)"))
    amount_province = _money(_("paid by the province (yuan)"), default=ZERO)
    amount_city = _money(_("paid by the city (yuan)"), default=ZERO)
    amount_county = _money(_("paid by the county (yuan)"), default=ZERO)
    explanation = models.CharField(_("how it was computed"), max_length=500)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    status = models.CharField(_("status"), max_length=10, choices=EntitlementStatus.choices,
                              default=EntitlementStatus.COMPUTED, db_index=True)
    region_code = models.CharField(_("region code"), max_length=12, db_index=True,
                                   editable=False)
    computed_at = models.DateTimeField(_("computed at"))
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("computed by"))

    scope_fields = ScopeFields(region="region_code", provider="training_class__provider_id")

    class Meta:
        ordering = ["training_class", "enrolment", "item"]
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "item"], condition=~Q(status="void"),
                                    name="entitlement_once_per_enrolment_and_item"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.item}: {self.amount}"


class EntitlementSkip(models.Model):
    """Why a trainee got nothing for an item at the last computation of a class (no standard
    figure applies, not completed, already entitled elsewhere …); replaced at each computation."""

    training_class = models.ForeignKey("training.TrainingClass", on_delete=models.CASCADE,
                                       related_name="entitlement_skips")
    enrolment = models.ForeignKey("training.Enrolment", on_delete=models.CASCADE,
                                  related_name="entitlement_skips")
    item = models.CharField(_("subsidy item"), max_length=16, choices=SubsidyItem.choices,
                            blank=True)
    code = models.CharField(max_length=32)
    reason = models.CharField(_("reason"), max_length=500)
    conflicting = models.ForeignKey("Entitlement", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["enrolment", "item"]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.item}: {self.code}"


class Claim(TrackedModel):
    """A claim (补贴申领) for a closed class, from its computed entitlements; or an adjustment of
    an approved claim (never an edit of it)."""

    number = models.CharField(_("claim number"), max_length=32, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=ClaimKind.choices,
                            default=ClaimKind.CLAIM)
    adjusts = models.ForeignKey("self", verbose_name=_("adjusts the claim"), null=True,
                                blank=True, on_delete=models.PROTECT,
                                related_name="adjustments")
    training_class = models.ForeignKey("training.TrainingClass",
                                       verbose_name=_("training class"),
                                       on_delete=models.PROTECT, related_name="claims")
    provider = models.ForeignKey("providers.Provider", verbose_name=_("training provider"),
                                 on_delete=models.PROTECT, related_name="claims")
    region_code = models.CharField(_("region code"), max_length=12, db_index=True,
                                   editable=False)
    status = models.CharField(_("status"), max_length=12, choices=ClaimStatus.choices,
                              default=ClaimStatus.DRAFT, db_index=True)
    total = _money(_("total (yuan)"), default=ZERO)
    reason = models.CharField(_("reason for the adjustment"), max_length=500, blank=True)
    # A key the submitting form or API call carries, so a retry or double click creates the
    # claim once.
    request_key = models.CharField(max_length=64, unique=True, null=True, blank=True,
                                   editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    review_comment = models.CharField(_("review comment"), max_length=500, blank=True)

    scope_fields = ScopeFields(region="region_code", provider="provider_id")

    class Meta:
        ordering = ["-id"]
        verbose_name = _("subsidy claim")
        verbose_name_plural = _("subsidy claims")

    def __str__(self) -> str:
        return self.number

    @property
    def is_locked(self) -> bool:
        return self.status in (ClaimStatus.APPROVED, ClaimStatus.PAID)


class ClaimLine(models.Model):
    """One line of a claim: an entitlement (a claim) or a signed correction (an adjustment)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="lines")
    entitlement = models.ForeignKey(Entitlement, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="claim_lines")
    item = models.CharField(_("subsidy item"), max_length=16, choices=SubsidyItem.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    explanation = models.CharField(_("how it was computed"), max_length=500)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.amount}"


class ClaimStep(models.Model):
    """The path of a claim: who did what, when, and their comment (kept when returned)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=12, choices=ClaimAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    from_status = models.CharField(max_length=12, choices=ClaimStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ClaimStatus.choices, blank=True)
    comment = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.action}"


class Payment(models.Model):
    """Money paid on an approved claim by one level, with its voucher."""

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.PROTECT,
                              related_name="payments")
    paying_level = models.CharField(_("paid by"), max_length=10, choices=PayingLevel.choices)
    paid_on = models.DateField(_("paid on"))
    voucher_number = models.CharField(_("voucher number"), max_length=60)
    amount = _money(_("amount (yuan)"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.UniqueConstraint(fields=["paying_level", "voucher_number"],
                                               name="payment_voucher_unique")]

    def __str__(self) -> str:
        return f"{self.voucher_number}: {self.amount}"


class ServiceContract(TrackedModel):
    """A purchase of training services (政府购买服务) from a provider."""

    number = models.CharField(_("contract number"), max_length=60, unique=True)
    provider = models.ForeignKey("providers.Provider", verbose_name=_("training provider"),
                                 on_delete=models.PROTECT, related_name="contracts")
    buyer_region = models.ForeignKey("regions.Region", verbose_name=_("purchasing federation"),
                                     on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(_("region code"), max_length=12, db_index=True,
                                   editable=False)
    tender_method = models.CharField(_("tender method"), max_length=16,
                                     choices=TenderMethod.choices)
    amount = _money(_("contract amount (yuan)"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    projects = models.ManyToManyField("catalog.TrainingProject", blank=True,
                                      verbose_name=_("projects covered"), related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)

    scope_fields = ScopeFields(region="region_code", provider="provider_id")

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("service contract")
        verbose_name_plural = _("service contracts")

    def __str__(self) -> str:
        return self.number


class ContractSpending(models.Model):
    """Money spent against a service contract."""

    contract = models.ForeignKey(ServiceContract, on_delete=models.PROTECT,
                                 related_name="spendings")
    spent_on = models.DateField(_("date"))
    amount = _money(_("amount (yuan)"))
    training_class = models.ForeignKey("training.TrainingClass", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("training class"))
    note = models.CharField(_("what for"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-spent_on", "-id"]

    def __str__(self) -> str:
        return f"{self.contract_id}: {self.amount}"
