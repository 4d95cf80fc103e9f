"""Forms of the standards pages. They parse; ``services/standards.py`` decides."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.accounts.scoping import can_act_on_region
from skillplan.catalog.choices import TrainingType
from skillplan.regions.models import Region, RegionLevel
from skillplan.subsidies.choices import CompetitionCost, RateBasis, SubsidyItem
from skillplan.subsidies.models import SubsidyStandard

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _share(label: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=5, decimal_places=2,
                              min_value=Decimal("0"), max_value=Decimal("100"),
                              initial=Decimal("0"))


def manageable_regions(user: Any) -> list[Region]:
    """The province and the cities ``user`` may set standards for."""
    regions = Region.objects.filter(level__in=[RegionLevel.PROVINCE, RegionLevel.CITY],
                                    valid_to__isnull=True).order_by("code")
    return [region for region in regions
            if can_act_on_region(user, region.code, permission=roles.MANAGE_STANDARDS)]


class FiguresForm(forms.Form):
    """The figures of a standard (a new one, or the one replacing it)."""

    basis = forms.ChoiceField(label=_("How the rate applies"),
                              choices=[("", _("Choose how")), *RateBasis.choices],
                              help_text=_("Training fee: per trainee or per trainee and day; "
                                          "living costs: per day attended; appraisal fee: per "
                                          "skill certificate; competition: per trainee."))
    rate = forms.DecimalField(label=_("Rate (yuan)"), max_digits=12, decimal_places=2,
                              min_value=Decimal("0.01"))
    max_days = forms.IntegerField(label=_("At most this many days"), required=False,
                                  min_value=1, max_value=366,
                                  help_text=_("For rates per day: the days paid at most."))
    min_days = forms.IntegerField(
        label=_("Class of at least this many days"), required=False, min_value=1,
        max_value=366,
        help_text=_("For rates per trainee: the class must last at least this many days."))
    cap = forms.DecimalField(label=_("Cap per trainee (yuan)"), max_digits=12, decimal_places=2,
                             required=False, min_value=Decimal("0.01"),
                             help_text=_("Leave empty for no cap."))
    share_province = _share(_("Share paid by the province (%)"))
    share_city = _share(_("Share paid by the city (%)"))
    share_county = _share(_("Share paid by the county (%)"))
    pays_without_completion = forms.BooleanField(
        label=_("Pay by days attended even without completion"), required=False)
    cost_kinds = forms.MultipleChoiceField(
        label=_("Costs covered (competition training subsidy only)"), required=False,
        choices=CompetitionCost.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("Prizes, travel, board and sundries are never paid."))
    effective_from = forms.DateField(label=_("In force from"), widget=_DATE)
    basis_text = forms.CharField(label=_("Legal basis"), max_length=200, required=False,
                                 help_text=_("The document that sets the standard."))
    is_example = forms.BooleanField(
        label=_("Example figure (to be replaced by the real standard)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        shares = [data.get(name) for name in ("share_province", "share_city", "share_county")]
        if all(share is not None for share in shares) and sum(shares) != Decimal("100"):
            raise forms.ValidationError(
                _("The shares paid by the province, the city and the county must add up to "
                  "100 per cent."), code="shares_sum")
        return data


class StandardForm(FiguresForm):
    item = forms.ChoiceField(label=_("Subsidy item"),
                             choices=[("", _("Choose an item")), *SubsidyItem.choices])
    training_type = forms.ChoiceField(
        label=_("Training type"), choices=[("", _("Choose a training type")),
                                           *TrainingType.choices])
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), empty_label=_("Choose a region"),
        help_text=_("The province for the default, or a city for its own override."))
    effective_to = forms.DateField(label=_("In force until"), required=False, widget=_DATE,
                                   help_text=_("Leave empty while it is in force."))

    field_order = ["item", "training_type", "region", "basis", "rate", "max_days", "min_days",
                   "cap", "share_province", "share_city", "share_county",
                   "pays_without_completion", "cost_kinds", "effective_from", "effective_to",
                   "basis_text", "is_example"]

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = manageable_regions(user)
        field = self.fields["region"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Region.objects.filter(pk__in=[region.pk for region in regions]
                                               ).order_by("code")


class SupersedeForm(FiguresForm):
    """The new figures, from a date; the current standard ends the day before."""


def supersede_initial(standard: SubsidyStandard) -> dict[str, Any]:
    return {name: getattr(standard, name) for name in (
        "basis", "rate", "max_days", "min_days", "cap", "share_province", "share_city",
        "share_county", "pays_without_completion", "basis_text", "is_example")} | {
        "cost_kinds": [k for k in standard.cost_kinds.split(",") if k]}


class StandardFilterForm(forms.Form):
    item = forms.ChoiceField(label=_("Subsidy item"), required=False,
                             choices=[("", _("All items")), *SubsidyItem.choices])
    training_type = forms.ChoiceField(label=_("Training type"), required=False,
                                      choices=[("", _("All training types")),
                                               *TrainingType.choices])
    region = forms.ChoiceField(label=_("Region"), required=False)
    when = forms.ChoiceField(label=_("Period"), required=False, choices=[
        ("current", _("In force now or later")), ("past", _("Ended")), ("all", _("All"))])

    def __init__(self, regions: list[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("All regions")), *regions]
