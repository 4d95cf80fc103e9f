"""Other carriers of training and employment (实习实训基地, 技能大师工作室, 非遗自强工作坊,
美丽工坊, 就业帮扶单位): records a federation recognises, linked to a training provider or to an
employer.

One model for every kind. The few kind-specific facts are nullable columns, not a JSON blob:
there are only nine of them, the summary table sums two of them per area in SQL, the export and
the public API show them as typed columns, and ``makemigrations --check`` guards them.
``clean()`` says which of them each kind needs and empties those another kind does not use.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from skillplan.accounts.scoping import ScopeFields
from skillplan.core.credit_code import parse_credit_code
from skillplan.core.errors import RuleError
from skillplan.core.models import TrackedModel
from skillplan.core.phone import normalize_phone
from skillplan.regions.models import RegionLevel


class CarrierKind(models.TextChoices):
    PRACTICE_BASE = "practice_base", _("Practice and training base (实习实训基地)")
    MASTER_STUDIO = "master_studio", _("Skills-master studio (技能大师工作室)")
    HERITAGE_WORKSHOP = "heritage_workshop", _("Heritage self-reliance workshop (非遗自强工作坊)")
    BEAUTIFUL_WORKSHOP = "beautiful_workshop", _("Beautiful Workshop for disabled women (美丽工坊)")
    ASSISTANCE_UNIT = "assistance_unit", _("Employment-assistance unit (就业帮扶单位)")


class CarrierStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class RecognitionLevel(models.TextChoices):
    PROVINCE = "province", _("Provincial federation")
    CITY = "city", _("City federation")
    COUNTY = "county", _("County federation")


class HeritageLevel(models.TextChoices):
    NATIONAL = "national", _("National (国家级)")
    PROVINCIAL = "provincial", _("Provincial (省级)")
    CITY = "city", _("City (市级)")
    COUNTY = "county", _("County (县级)")


class WorkArrangement(models.TextChoices):
    HOME = "home", _("At home (居家就业)")
    NEAR_HOME = "near_home", _("Near home (就近就业)")
    WORKSHOP = "workshop", _("At the workshop (集中就业)")


# Which kind-specific fields each kind uses, and which of them it must have.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    CarrierKind.PRACTICE_BASE: (),
    CarrierKind.MASTER_STUDIO: ("master_name", "master_occupation", "master_title"),
    CarrierKind.HERITAGE_WORKSHOP: ("heritage_item", "heritage_level"),
    CarrierKind.BEAUTIFUL_WORKSHOP: (
        "women_total", "women_disabled", "work_arrangement", "products",
    ),
    CarrierKind.ASSISTANCE_UNIT: ("employees_placed",),
}
KIND_REQUIRED: dict[str, tuple[str, ...]] = {
    CarrierKind.PRACTICE_BASE: (),
    CarrierKind.MASTER_STUDIO: ("master_name", "master_occupation"),
    CarrierKind.HERITAGE_WORKSHOP: ("heritage_item", "heritage_level"),
    CarrierKind.BEAUTIFUL_WORKSHOP: ("women_total", "women_disabled", "work_arrangement"),
    CarrierKind.ASSISTANCE_UNIT: ("employees_placed",),
}
SPECIFIC_FIELDS = tuple(dict.fromkeys(name for names in KIND_FIELDS.values() for name in names))

Fail = Callable[[str, object], None]

# What may follow each status. A closed carrier may be reopened (re-recognised).
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    CarrierStatus.ACTIVE: (CarrierStatus.SUSPENDED, CarrierStatus.CLOSED),
    CarrierStatus.SUSPENDED: (CarrierStatus.ACTIVE, CarrierStatus.CLOSED),
    CarrierStatus.CLOSED: (CarrierStatus.ACTIVE,),
}


class Carrier(TrackedModel):
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind of carrier"), max_length=24, choices=CarrierKind.choices,
                            db_index=True)
    provider = models.ForeignKey(
        "providers.Provider", verbose_name=_("training provider"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="carriers",
    )
    employer_name = models.CharField(_("employer"), max_length=120, blank=True)
    employer_credit_code = models.CharField(
        _("employer's unified social credit code"), max_length=18, blank=True
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("region code"), max_length=12, db_index=True,
                                   editable=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    recognised_by = models.CharField(
        _("recognised by"), max_length=10, choices=RecognitionLevel.choices
    )
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=CarrierStatus.choices,
                              default=CarrierStatus.ACTIVE, db_index=True, editable=False)
    status_reason = models.CharField(_("reason for the status"), max_length=200, blank=True,
                                     editable=False)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True,
                                             editable=False)
    notes = models.TextField(_("notes"), max_length=1000, blank=True)
    # Skills-master studio
    master_name = models.CharField(_("master's name"), max_length=50, blank=True)
    master_occupation = models.CharField(_("master's occupation"), max_length=100, blank=True)
    master_title = models.CharField(_("master's title and honours"), max_length=200,
                                    blank=True)
    # Heritage self-reliance workshop
    heritage_item = models.CharField(_("intangible heritage item"), max_length=100, blank=True)
    heritage_level = models.CharField(_("heritage item level"), max_length=10,
                                      choices=HeritageLevel.choices, blank=True)
    # 美丽工坊
    women_total = models.PositiveIntegerField(_("women working there"), null=True, blank=True)
    women_disabled = models.PositiveIntegerField(_("of whom disabled women"), null=True,
                                                 blank=True)
    work_arrangement = models.CharField(_("where the women work"), max_length=10,
                                        choices=WorkArrangement.choices, blank=True)
    products = models.CharField(_("products"), max_length=200, blank=True)
    # Employment-assistance unit
    employees_placed = models.PositiveIntegerField(_("disabled employees placed"), null=True,
                                                   blank=True)

    scope_fields = ScopeFields(region="region_code", provider="provider_id")

    class Meta:
        ordering = ["region_code", "kind", "name"]
        verbose_name = _("carrier")
        verbose_name_plural = _("carriers")
        indexes = [models.Index(fields=["status", "kind", "region_code"],
                                name="carrier_public")]

    def __str__(self) -> str:
        return self.name

    @property
    def host_name(self) -> str:
        """Who runs it: the linked provider's name or the employer's."""
        return self.provider.name if self.provider_id else self.employer_name

    @property
    def is_active(self) -> bool:
        return self.status == CarrierStatus.ACTIVE

    def next_statuses(self) -> list[tuple[str, str]]:
        """(value, label) of the statuses this carrier may move to."""
        return [(value, str(CarrierStatus(value).label)) for value in NEXT_STATUSES[self.status]]

    def can_move_to(self, status: str) -> bool:
        return status in NEXT_STATUSES.get(self.status, ())

    def clean(self) -> None:
        """The kind rules: the link, the county, each kind's own facts. Raises one
        ValidationError naming every field at fault."""
        errors: dict[str, list[str]] = {}

        def fail(field: str, message: object) -> None:
            errors.setdefault(field, []).append(str(message))

        self._clean_link(fail)
        if self.region_id and self.region.level != RegionLevel.COUNTY:
            fail("region", _("Choose a county (区/县/县级市), not a city or a township."))
        if self.contact_phone:
            try:
                self.contact_phone = normalize_phone(self.contact_phone)
            except RuleError as error:
                fail("contact_phone", error.message)
        if self.recognised_on and self.recognised_on > date.today():
            fail("recognised_on", _("The date of recognition cannot be in the future."))
        self._clean_kind_fields(fail)
        if errors:
            raise ValidationError(errors)

    def _clean_link(self, fail: Fail) -> None:
        self.employer_name = self.employer_name.strip()
        has_employer = bool(self.employer_name or self.employer_credit_code)
        if self.provider_id and has_employer:
            fail("employer_name", _(
                "Link the carrier either to a training provider or to an employer, not both: "
                "empty the employer fields or the provider."))
        elif not self.provider_id:
            if not self.employer_name:
                fail("employer_name", _(
                    "Choose the training provider that runs it, or give the name of the "
                    "employer."))
            if not self.employer_credit_code:
                fail("employer_credit_code", _(
                    "Give the employer's 18-character unified social credit code (on its "
                    "business licence), or choose a training provider instead."))
        if self.employer_credit_code:
            try:
                self.employer_credit_code = parse_credit_code(self.employer_credit_code)
            except RuleError as error:
                fail("employer_credit_code", error.message)

    def _clean_kind_fields(self, fail: Fail) -> None:
        kind_label = CarrierKind(self.kind).label if self.kind in CarrierKind.values else ""
        used = KIND_FIELDS.get(self.kind, ())
        for name in SPECIFIC_FIELDS:  # facts of another kind are not kept
            if name not in used:
                setattr(self, name, None if name in _NUMBERS else "")
        for name in KIND_REQUIRED.get(self.kind, ()):
            if getattr(self, name) in (None, ""):
                fail(name, _("Fill this in: every %(kind)s must have it.") % {
                    "kind": kind_label})
        if self.kind == CarrierKind.BEAUTIFUL_WORKSHOP:
            total, disabled = self.women_total, self.women_disabled
            if total is not None and total < 1:
                fail("women_total", _("A 美丽工坊 employs at least one woman."))
            if total is not None and disabled is not None and disabled > total:
                fail("women_disabled", _(
                    "The disabled women (%(disabled)s) cannot be more than all the women "
                    "working there (%(total)s).") % {"disabled": disabled, "total": total})


_NUMBERS = frozenset({"women_total", "women_disabled", "employees_placed"})
