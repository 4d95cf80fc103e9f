"""Forms of the carrier pages. They parse; ``Carrier.clean`` and the services decide."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skillplan.accounts.scoping import Reach, scope_of
from skillplan.carriers.models import Carrier, CarrierKind, CarrierStatus
from skillplan.carriers.selectors import CarrierFilters, provider_choices
from skillplan.core.forms import VersionedFormMixin
from skillplan.regions.models import Region, RegionLevel


def _regions_in_scope(actor: Any, levels: tuple[str, ...]) -> list[Region]:
    scope = scope_of(actor)
    if scope.reach not in (Reach.PROVINCE, Reach.REGION):
        return []
    return list(Region.objects.filter(level__in=levels, valid_to__isnull=True,
                                      code__startswith=scope.region_code).order_by("code"))


class CarrierFilterForm(forms.Form):
    """The list's filters (GET); field names are those of ``selectors.CarrierFilters``."""

    q = forms.CharField(label=_("Name"), required=False, max_length=50,
                        help_text=_("Any part of the carrier's name."),
                        widget=forms.TextInput(attrs={"type": "search"}))
    kind = forms.ChoiceField(label=_("Kind of carrier"), required=False,
                             choices=[("", _("All kinds")), *CarrierKind.choices])
    region_code = forms.ChoiceField(label=_("City or county"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *CarrierStatus.choices])

    def __init__(self, actor: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = _regions_in_scope(actor, (RegionLevel.CITY, RegionLevel.COUNTY))
        self.fields["region_code"].choices = [("", _("All my area"))] + [
            (region.code, region.full_name if region.level == RegionLevel.CITY
             else f"— {region.full_name}")
            for region in regions
        ]
        if not regions:  # provider staff: their provider's carriers, no area to choose from
            del self.fields["region_code"]

    def filters(self) -> CarrierFilters:
        """The valid filters; an invalid one (a region outside the area) is ignored."""
        if not self.is_bound:
            return CarrierFilters()
        self.is_valid()
        data = self.cleaned_data
        return CarrierFilters(**{item.name: (data.get(item.name) or "").strip()
                                 for item in dataclass_fields(CarrierFilters)})

    def active_values(self) -> list[tuple[str, str]]:
        filters = self.filters()
        return [(item.name, getattr(filters, item.name))
                for item in dataclass_fields(CarrierFilters) if getattr(filters, item.name)]


class CountyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:  # type: ignore[override]
        return obj.full_name


class CarrierForm(forms.ModelForm):
    """Record or change a carrier. The model's ``clean`` applies the kind rules and puts each
    problem on its field; the form never saves (the services do)."""

    class Meta:
        model = Carrier
        fields = [
            "name", "kind", "provider", "employer_name", "employer_credit_code", "region",
            "address", "contact_name", "contact_phone", "recognised_by", "recognised_on",
            "master_name", "master_occupation", "master_title",
            "heritage_item", "heritage_level",
            "women_total", "women_disabled", "work_arrangement", "products",
            "employees_placed", "notes",
        ]  # fmt: skip
        widgets = {
            "recognised_on": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "employer_credit_code": forms.TextInput(
                attrs={"autocomplete": "off", "spellcheck": "false"}),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {
            "provider": _("If a training provider runs it, choose the provider and leave the "
                          "employer fields empty."),
            "employer_name": _("If an enterprise or another employer runs it, give its name and "
                               "credit code, and choose no provider."),
            "employer_credit_code": _("18 characters, on the employer's business licence."),
            "contact_name": _("Not shown on the public pages."),
            "contact_phone": _("A mobile number, or a landline with its area code such as "
                               "0731-84561234. Not shown on the public pages."),
            "address": _("Not shown on the public pages: a home-based workshop may be "
                         "someone's home."),
            "recognised_on": _("For example 2024-06-30."),
            "master_name": _("Skills-master studios only."),
            "master_occupation": _("Skills-master studios only."),
            "master_title": _("Skills-master studios only. For example 全国技术能手, "
                              "湖南省技能大师."),
            "heritage_item": _("Heritage workshops only. For example 湘西苗绣."),
            "heritage_level": _("Heritage workshops only."),
            "women_total": _("美丽工坊 only: all the women who work there, disabled or not."),
            "women_disabled": _("美丽工坊 only: no more than the women working there."),
            "work_arrangement": _("美丽工坊 only."),
            "products": _("美丽工坊 only. For example 湘绣, 竹编, 手工皂."),
            "employees_placed": _("Employment-assistance units only: disabled persons "
                                  "employed there now."),
        }

    def __init__(self, actor: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"] = forms.ModelChoiceField(
            label=_("Training provider"), required=False,
            queryset=provider_choices(user=actor), empty_label=_("None: run by an employer"),
            help_text=self.fields["provider"].help_text,
        )
        counties = Region.objects.filter(
            pk__in=[region.pk for region in _regions_in_scope(actor, (RegionLevel.COUNTY,))]
        ).order_by("code")
        self.fields["region"] = CountyChoiceField(
            label=_("County"), queryset=counties, to_field_name="code",
            empty_label=_("Choose a county"),
            error_messages={"invalid_choice": _(
                "Choose a county inside your own area from the list.")},
        )
        for name in ("kind", "recognised_by", "heritage_level", "work_arrangement"):
            field = self.fields[name]
            if isinstance(field, forms.TypedChoiceField) and field.choices:
                first = list(field.choices)[0]
                if first[0] == "":
                    field.choices = [("", _("Choose one")), *list(field.choices)[1:]]
        if self.instance.pk:  # the county field speaks in codes
            self.initial["region"] = self.instance.region_code

    def values(self) -> dict[str, Any]:
        """What the services take: model field values by name."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class CarrierEditForm(VersionedFormMixin, CarrierForm):
    def __init__(self, actor: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(actor, *args, **kwargs)
        self.initial.setdefault("version", self.instance.version)


class CarrierStatusForm(VersionedFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason"), max_length=200, min_length=2,
        help_text=_("Kept on the record and in its history. For example: 整改期间暂停, "
                    "企业注销, 整改完成恢复."),
    )

    def __init__(self, carrier: Carrier, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"version": carrier.version})
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = carrier.next_statuses()
