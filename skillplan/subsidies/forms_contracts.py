"""Forms of the purchased-service pages. They parse; ``services/contracts.py`` decides."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.accounts.scoping import Reach, restrict, scope_of
from skillplan.catalog.choices import ProjectStatus
from skillplan.catalog.models import TrainingProject
from skillplan.core.forms import VersionedFormMixin
from skillplan.providers.models import Provider
from skillplan.regions.models import Region, RegionLevel
from skillplan.subsidies.choices import TenderMethod
from skillplan.subsidies.models import ServiceContract
from skillplan.subsidies.services.contracts import ContractValues
from skillplan.training.models import TrainingClass

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def buyer_regions(user: Any) -> list[Region]:
    """The federations ``user`` may buy for: their own region, and for the province and a
    city the cities and counties below."""
    scope = scope_of(user)
    if scope.reach not in (Reach.PROVINCE, Reach.REGION) or not scope.region_code:
        return []
    return list(Region.objects.filter(
        code__startswith=scope.region_code, valid_to__isnull=True,
        level__in=[RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY]).order_by("code"))


class ContractForm(VersionedFormMixin, forms.Form):
    number = forms.CharField(label=_("Contract number"), max_length=60,
                             help_text=_("As on the signed contract."))
    buyer_region = forms.ModelChoiceField(
        label=_("Purchasing federation"), queryset=Region.objects.none(),
        empty_label=_("Choose the federation that buys"))
    provider = forms.ModelChoiceField(
        label=_("Training provider"), queryset=Provider.objects.none(),
        empty_label=_("Choose a provider"),
        help_text=_("A provider of the purchasing federation's area."))
    tender_method = forms.ChoiceField(label=_("Tender method"),
                                      choices=[("", _("Choose a method")), *TenderMethod.choices])
    amount = forms.DecimalField(label=_("Contract amount (yuan)"), max_digits=12,
                                decimal_places=2, min_value=Decimal("0.01"))
    starts_on = forms.DateField(label=_("From"), widget=_DATE)
    ends_on = forms.DateField(label=_("Until"), widget=_DATE)
    projects = forms.ModelMultipleChoiceField(
        label=_("Projects covered"), queryset=TrainingProject.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Published catalog projects the contract pays for."))
    note = forms.CharField(label=_("Note"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, user: Any, *args: Any, creating: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = buyer_regions(user)
        self.fields["buyer_region"].queryset = Region.objects.filter(
            pk__in=[region.pk for region in regions]).order_by("code")
        self.fields["buyer_region"].label_from_instance = lambda r: r.full_name or r.name
        self.fields["provider"].queryset = restrict(
            Provider.objects.all(), user, permission=roles.VIEW_PROVIDER).order_by(
            "region_code", "name")
        self.fields["projects"].queryset = restrict(
            TrainingProject.objects.filter(status=ProjectStatus.PUBLISHED), user,
            permission=roles.VIEW_PROJECT).order_by("code") | TrainingProject.objects.filter(
            status=ProjectStatus.PUBLISHED, region_code=settings.SKILLPLAN_PROVINCE_CODE)
        self.fields["projects"].label_from_instance = lambda p: f"{p.code} {p.name}"
        if creating:
            del self.fields["version"]

    def values(self) -> ContractValues:
        data = self.cleaned_data
        return ContractValues(
            number=data["number"], provider=data["provider"], buyer_region=data["buyer_region"],
            tender_method=data["tender_method"], amount=data["amount"],
            starts_on=data["starts_on"], ends_on=data["ends_on"],
            projects=list(data.get("projects") or []), note=data.get("note") or "")


def initial_of(contract: ServiceContract) -> dict[str, Any]:
    return {
        "number": contract.number, "buyer_region": contract.buyer_region_id,
        "provider": contract.provider_id, "tender_method": contract.tender_method,
        "amount": contract.amount, "starts_on": contract.starts_on,
        "ends_on": contract.ends_on, "note": contract.note, "version": contract.version,
        "projects": list(contract.projects.values_list("pk", flat=True)),
    }


class SpendingForm(forms.Form):
    spent_on = forms.DateField(label=_("Date"), widget=_DATE)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2,
                                min_value=Decimal("0.01"))
    note = forms.CharField(label=_("What for"), max_length=300,
                           help_text=_("For example the class or the materials paid for."))
    training_class = forms.ModelChoiceField(
        label=_("Training class (optional)"), queryset=TrainingClass.objects.none(),
        required=False, empty_label=_("No particular class"))

    def __init__(self, user: Any, contract: ServiceContract, *args: Any, **kwargs: Any
                 ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["training_class"].queryset = restrict(
            TrainingClass.objects.filter(provider_id=contract.provider_id), user,
            permission=roles.VIEW_CLASS).order_by("-start_date")
        self.fields["training_class"].label_from_instance = lambda c: f"{c.code} {c.name}"
