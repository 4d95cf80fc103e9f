"""Forms of the provider and base pages. They parse; the services decide."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skillplan.accounts.scoping import Reach, scope_of
from skillplan.core.errors import RuleError
from skillplan.core.forms import VersionedFormMixin
from skillplan.providers import services
from skillplan.providers.models import (
    ACCESSIBILITY_FEATURES,
    BaseLevel,
    BaseStatus,
    EvaluationIndicator,
    EvaluationOutcome,
    LicenceType,
    Provider,
    ProviderKind,
)
from skillplan.providers.selectors import BaseFilters, ProviderFilters
from skillplan.regions.models import Region, RegionLevel


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


def regions_in_scope(actor: Any, levels: tuple[str, ...]) -> list[tuple[str, str, str]]:
    scope = scope_of(actor)
    if scope.reach not in (Reach.PROVINCE, Reach.REGION):
        return []
    return list(Region.objects.filter(level__in=levels, valid_to__isnull=True,
                                      code__startswith=scope.region_code)
                .order_by("code").values_list("code", "full_name", "level"))


def _region_filter_choices(actor: Any) -> list[tuple[str, Any]]:
    return _blank(_("All my area")) + [
        (code, name if level == RegionLevel.CITY else f"— {name}")
        for code, name, level in regions_in_scope(actor, (RegionLevel.CITY, RegionLevel.COUNTY))
    ]


LEVEL_FILTER = _blank(_("Any")) + list(BaseLevel.choices) + [
    ("none", _("No accredited base"))]


class ProviderFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or credit code"), required=False, max_length=60,
                        widget=forms.TextInput(attrs={"type": "search"}))
    region_code = forms.ChoiceField(label=_("Region"), required=False)
    kind = forms.ChoiceField(label=_("Kind of institution"), required=False,
                             choices=_blank(_("All kinds")) + list(ProviderKind.choices))
    level = forms.ChoiceField(label=_("Base level"), required=False, choices=LEVEL_FILTER)

    def __init__(self, actor: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _region_filter_choices(actor)
        if len(choices) > 1:
            self.fields["region_code"].choices = choices
        else:
            del self.fields["region_code"]

    def filters(self) -> ProviderFilters:
        if not self.is_bound or not self.is_valid():
            return ProviderFilters()
        data = self.cleaned_data
        return ProviderFilters(q=(data.get("q") or "").strip(),
                               region_code=data.get("region_code") or "",
                               kind=data.get("kind") or "", level=data.get("level") or "")


class BaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Name of base or provider"), required=False, max_length=60,
                        widget=forms.TextInput(attrs={"type": "search"}))
    region_code = forms.ChoiceField(label=_("Region"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=_blank(_("Any status")) + list(BaseStatus.choices))
    level = forms.ChoiceField(label=_("Level"), required=False,
                              choices=_blank(_("Any")) + list(BaseLevel.choices))

    def __init__(self, actor: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _region_filter_choices(actor)
        if len(choices) > 1:
            self.fields["region_code"].choices = choices
        else:
            del self.fields["region_code"]

    def filters(self) -> BaseFilters:
        if not self.is_bound or not self.is_valid():
            return BaseFilters()
        data = self.cleaned_data
        return BaseFilters(q=(data.get("q") or "").strip(),
                           region_code=data.get("region_code") or "",
                           status=data.get("status") or "", level=data.get("level") or "")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("Name of the institution"), max_length=120)
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=30,
        help_text=_("18 characters from the institution's licence, for example "
                    "52430102MA4L00000X. Digits and capital letters except I, O, S, V, Z."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    kind = forms.ChoiceField(label=_("Kind of institution"), choices=ProviderKind.choices)
    region = forms.ChoiceField(
        label=_("County"), help_text=_("The county (县市区) where the premises are."),
        error_messages={"invalid_choice": _("Choose a county inside your own area.")})
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    public_phone = forms.CharField(
        label=_("Institution phone"), max_length=20, required=False,
        help_text=_("The phone the public may call; it is shown on the public pages. "
                    "A landline with its area code, such as 0731-84561234, or a mobile."),
        widget=forms.TextInput(attrs={"inputmode": "tel"}))
    contact_name = forms.CharField(label=_("Contact person"), max_length=50, required=False,
                                   help_text=_("Not shown on the public pages."))
    contact_phone = forms.CharField(
        label=_("Contact person's phone"), max_length=20, required=False,
        help_text=_("Not shown on the public pages."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    capacity = forms.IntegerField(label=_("Trainees at a time"), min_value=0, max_value=100000,
                                  required=False,
                                  help_text=_("How many trainees the premises can take at once."))
    licence_type = forms.ChoiceField(label=_("Licence type"), required=False,
                                     choices=_blank(_("Not recorded")) + list(
                                         LicenceType.choices))
    licence_number = forms.CharField(label=_("Licence number"), max_length=60, required=False)
    licence_issuer = forms.CharField(label=_("Licence issued by"), max_length=120,
                                     required=False)
    licence_valid_until = forms.DateField(label=_("Licence valid until"), required=False,
                                          widget=DateInput(),
                                          help_text=_("For example 2027-12-31."))
    features = forms.MultipleChoiceField(
        label=_("Accessibility of the premises"), required=False,
        widget=forms.CheckboxSelectMultiple, choices=ACCESSIBILITY_FEATURES,
        help_text=_("Tick what the premises really have; trainees and families read this."))
    accessibility_note = forms.CharField(
        label=_("Note on accessibility"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the training rooms are on the ground floor."))
    published = forms.BooleanField(
        label=_("Show this provider on the public pages"), required=False,
        help_text=_("Public pages show the name, kind, county, address, institution phone "
                    "and accessibility, never staff or contact persons."))

    def __init__(self, actor: Any, *args: Any, provider: Provider | None = None,
                 federation: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.provider = provider
        self.values: services.ProviderValues | None = None
        counties = [(code, name) for code, name, _level in
                    regions_in_scope(actor, (RegionLevel.COUNTY,))]
        if provider is not None and provider.region_code not in dict(counties):
            counties.insert(0, (provider.region_code, provider.region.full_name))
        self.fields["region"].choices = _blank(_("Choose a county")) + counties
        if not federation:  # provider staff: the federation moves and publishes providers
            self.fields["region"].disabled = True
            self.fields["region"].help_text = _("Only the federation can change the county.")
            self.fields["published"].disabled = True
        if provider is not None and not provider.credit_code:
            self.fields["credit_code"].required = False

    def clean_credit_code(self) -> str:
        value = self.cleaned_data.get("credit_code") or ""
        if not value.strip():
            return ""
        try:
            return services.clean_credit_code(value)
        except RuleError as error:
            raise forms.ValidationError(error.message, code=error.code) from error

    def _clean_phone(self, name: str) -> str:
        try:
            return services.clean_phone(self.cleaned_data.get(name))
        except RuleError as error:
            raise forms.ValidationError(error.message, code=error.code) from error

    def clean_public_phone(self) -> str:
        return self._clean_phone("public_phone")

    def clean_contact_phone(self) -> str:
        return self._clean_phone("contact_phone")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = data.get("region")
        region = Region.objects.filter(code=code).first() if code else None
        if region is None or self.errors:
            return data
        features = set(data.get("features") or [])
        fields: dict[str, Any] = {
            name: data.get(name) for name in (
                "name", "credit_code", "kind", "licence_type", "licence_number",
                "licence_issuer", "licence_valid_until", "address", "public_phone",
                "contact_name", "contact_phone", "capacity", "accessibility_note", "published")
        }
        fields.update({name: name in features for name, _label in ACCESSIBILITY_FEATURES})
        for name in ("licence_type", "licence_number", "licence_issuer", "address",
                     "contact_name", "accessibility_note"):
            fields[name] = (fields[name] or "").strip()
        fields["published"] = bool(fields["published"])
        self.values = services.ProviderValues(region=region, fields=fields)
        return data


class ProviderEditForm(VersionedFormMixin, ProviderForm):
    pass


def provider_initial(provider: Provider) -> dict[str, Any]:
    initial = {name: getattr(provider, name) for name in (
        "name", "credit_code", "kind", "licence_type", "licence_number", "licence_issuer",
        "licence_valid_until", "address", "public_phone", "contact_name", "contact_phone",
        "capacity", "accessibility_note", "published", "version")}
    initial["region"] = provider.region_code
    initial["features"] = [name for name, _label in ACCESSIBILITY_FEATURES
                           if getattr(provider, name)]
    return initial


# --- Bases --------------------------------------------------------------------------------


class BaseApplicationForm(forms.Form):
    name = forms.CharField(label=_("Name of the base"), max_length=160,
                           help_text=_("Usually the institution's name followed by "
                                       "残疾人职业培训基地."))
    requested_level = forms.ChoiceField(label=_("Level applied for"),
                                        choices=BaseLevel.choices, initial=BaseLevel.CITY)
    training_offer = forms.CharField(
        label=_("Training offered"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The trades and courses you run for disabled trainees, and how many "
                    "trainees you train in a year."))
    facilities = forms.CharField(
        label=_("Facilities and teachers"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Training rooms, equipment, accessible facilities, and your teachers "
                    "(including sign language or braille skills)."))


class BaseApplicationEditForm(VersionedFormMixin, BaseApplicationForm):
    pass


class VersionForm(VersionedFormMixin):
    """A button that acts on a record: only the version the user saw."""


class CityReviewForm(VersionedFormMixin):
    decision = forms.ChoiceField(
        label=_("Your decision"), widget=forms.RadioSelect,
        choices=[("approve", _("Recommend to the province for accreditation")),
                 ("return", _("Return to the provider for changes"))])
    comment = forms.CharField(
        label=_("Comments"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you return the application: say what must change."))


class AccreditForm(VersionedFormMixin):
    decision = forms.ChoiceField(
        label=_("Your decision"), widget=forms.RadioSelect,
        choices=[("accredit", _("Accredit the base")),
                 ("reject", _("Do not accredit"))])
    level = forms.ChoiceField(label=_("Level"), required=False,
                              choices=_blank(_("Choose a level")) + list(BaseLevel.choices),
                              help_text=_("Required when you accredit."))
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput(),
                                  help_text=_("Usually three years after the first day."))
    comment = forms.CharField(
        label=_("Comments"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you do not accredit: the provider reads the reason."))


class EvaluationForm(VersionedFormMixin):
    """One field per active indicator (``value_<code>``), with its unit and reference."""

    year = forms.IntegerField(label=_("Year evaluated"), min_value=2000, max_value=2100)
    comment = forms.CharField(label=_("Notes"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, indicators: list[EvaluationIndicator], **kwargs: Any
                 ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        if not self.is_bound:
            self.fields["year"].initial = date.today().year - 1
        for indicator in indicators:
            if indicator.negative:
                hint = _("Unit: %(unit)s. Lower is better; %(reference)s or more earns no "
                         "marks.")
            else:
                hint = _("Unit: %(unit)s. %(reference)s or more earns full marks.")
            self.fields[f"value_{indicator.code}"] = forms.DecimalField(
                label=indicator.name, min_value=Decimal(0), max_digits=10, decimal_places=2,
                help_text=hint % {"unit": indicator.unit or "—",
                                  "reference": indicator.reference.normalize()},
                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
        self.order_fields(["year", *(f"value_{i.code}" for i in indicators), "comment"])

    def values(self) -> dict[str, Decimal]:
        return {indicator.code: self.cleaned_data[f"value_{indicator.code}"]
                for indicator in self.indicators}


class DecisionForm(VersionedFormMixin):
    outcome = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                choices=EvaluationOutcome.choices)
    reason = forms.CharField(label=_("Reason"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Kept in the base's history; the decision and its "
                                         "date are published, the reason is not."))


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = EvaluationIndicator
        fields = ["code", "name", "unit", "weight", "reference", "negative", "active", "order"]
        help_texts = {
            "code": _("Letters, digits and underscores; it cannot be changed later."),
            "weight": _("Weights are relative: the total is the weighted mean of the points."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
