"""Forms of the catalog pages. They parse; ``rules.check_project`` and the services decide."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from skillplan.catalog import selectors
from skillplan.catalog.choices import (
    SUB_TYPES,
    Accommodation,
    Delivery,
    NewEconomy,
    ProjectStatus,
    SubType,
    TrainingType,
)
from skillplan.catalog.models import TrainingProject
from skillplan.catalog.rules import ProjectValues, check_project
from skillplan.catalog.selectors import ProjectFilters
from skillplan.core.disability import DisabilityCategory
from skillplan.core.forms import VersionedFormMixin

AUTO = ""
NONE = "none"


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


def sub_type_choices() -> list[tuple[Any, Any]]:
    """Sub-types grouped under their training type (an <optgroup> per type)."""
    return [(TrainingType(kind).label, [(code, SubType(code).label) for code in codes])
            for kind, codes in SUB_TYPES.items()]


def city_choices(*, province_label: Any) -> list[tuple[str, Any]]:
    return [(settings.SKILLPLAN_PROVINCE_CODE, province_label)] + [
        (city.code, city.name) for city in selectors.cities()]


class ProjectFilterForm(forms.Form):
    """The list's filters (GET); field names are those of ``selectors.ProjectFilters``."""

    q = forms.CharField(
        label=_("Project name, code or occupation"), required=False, max_length=60,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    training_type = forms.ChoiceField(
        label=_("Training type"), required=False,
        choices=_blank(_("All types")) + TrainingType.choices)
    sub_type = forms.ChoiceField(label=_("Project class"), required=False)
    delivery = forms.ChoiceField(
        label=_("Delivery"), required=False, choices=_blank(_("Any delivery")) + Delivery.choices)
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=_blank(_("Any status")) + ProjectStatus.choices)
    category = forms.ChoiceField(
        label=_("Disability category served"), required=False,
        choices=_blank(_("All categories")) + DisabilityCategory.choices)
    accommodation = forms.ChoiceField(
        label=_("Accommodation offered"), required=False,
        choices=_blank(_("Any or none")) + [(str(v), label) for v, label in
                                            Accommodation.choices])
    city = forms.ChoiceField(label=_("City"), required=False)
    new_economy = forms.ChoiceField(
        label=_("New-economy projects"), required=False,
        choices=[("", _("All projects")), ("yes", _("New-economy projects only"))])

    def __init__(self, *args: Any, public: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sub_type"].choices = _blank(_("All classes")) + sub_type_choices()
        if public:
            del self.fields["status"]
            self.fields["city"].choices = _blank(_("All of the province")) + [
                (city.code, city.name) for city in selectors.cities()]
            self.fields["city"].help_text = _(
                "Shows the city's own projects and the province-wide ones.")
        else:
            self.fields["city"].choices = _blank(_("All regions")) + city_choices(
                province_label=_("Province-wide projects"))

    def filters(self) -> ProjectFilters:
        """The valid filters; an invalid value is ignored."""
        if not self.is_bound:
            return ProjectFilters()
        self.is_valid()
        return ProjectFilters(**{item.name: str(self.cleaned_data.get(item.name) or "").strip()
                                 for item in dataclass_fields(ProjectFilters)})

    def active(self) -> bool:
        return any(vars(self.filters()).values())

    def active_values(self) -> list[tuple[str, str]]:
        filters = self.filters()
        return [(item.name, getattr(filters, item.name))
                for item in dataclass_fields(ProjectFilters) if getattr(filters, item.name)]


class ProjectForm(forms.Form):
    """Prepare or change a project; ``clean`` runs the catalog rules and puts each problem on
    its field; ``values`` then holds what the services take."""

    name = forms.CharField(label=_("Project name"), max_length=100,
                           help_text=_("For example 电商客服专项技能培训."))
    training_type = forms.ChoiceField(label=_("Training type"),
                                      choices=_blank(_("Choose a type")) + TrainingType.choices)
    sub_type = forms.ChoiceField(
        label=_("Project class"), required=False,
        help_text=_("Employment skills, rural practical, special, on-the-job and "
                    "entrepreneurship training need a class of their own type; the other "
                    "types have none."))
    employer_name = forms.CharField(
        label=_("Employer (order-based training only)"), required=False, max_length=100)
    occupation_code = forms.CharField(
        label=_("Occupation code"), required=False, max_length=14,
        help_text=_("In the 2022 Occupational Classification, such as 4-02-02-01. Needed for "
                    "employment skills, massage, on-the-job and mid/high-skill training."),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}))
    occupation_name = forms.CharField(label=_("Occupation name"), required=False,
                                      max_length=60)
    days = forms.IntegerField(label=_("Training days"), min_value=1, max_value=365)
    hours = forms.IntegerField(label=_("Class hours"), min_value=1, max_value=2920,
                               help_text=_("At most 8 class hours a day."))
    delivery = forms.ChoiceField(label=_("Delivery"), choices=Delivery.choices,
                                 widget=forms.RadioSelect, initial=Delivery.OFFLINE)
    fee_standard = forms.DecimalField(
        label=_("Fee standard (yuan per trainee)"), min_value=Decimal("0"),
        max_digits=9, decimal_places=2, help_text=_("For example 1800.00. Zero if free."))
    categories = forms.MultipleChoiceField(
        label=_("Disability categories served"), choices=DisabilityCategory.choices,
        widget=forms.CheckboxSelectMultiple)
    accommodations = forms.MultipleChoiceField(
        label=_("Accommodations offered"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(str(value), label) for value, label in Accommodation.choices])
    summary = forms.CharField(label=_("Training content"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("What trainees learn, in plain words; shown on the "
                                          "public catalog."))
    region = forms.ChoiceField(label=_("Region"))
    providers = forms.MultipleChoiceField(
        label=_("Providers allowed to run it"), required=False,
        widget=forms.CheckboxSelectMultiple)
    new_economy = forms.ChoiceField(
        label=_("New-economy project"), required=False,
        choices=[(AUTO, _("Decide from the project name")),
                 (NONE, _("Not a new-economy project"))] + NewEconomy.choices,
        help_text=_("Names with 电商客服, 电商美工, 电商运营 or 网络直播 are flagged "
                    "automatically; choose here to decide yourself."))

    def __init__(self, actor: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.values: ProjectValues | None = None
        self.fields["sub_type"].choices = _blank(_("No class")) + sub_type_choices()
        self._regions = {region.code: region for region in selectors.region_choices(user=actor)}
        self.fields["region"].choices = [
            (code, _("Province-wide") if region.level == "province" else region.name)
            for code, region in self._regions.items()]
        self._providers = {str(p.pk): p for p in selectors.provider_choices(user=actor)}
        self.fields["providers"].choices = [
            (pk, provider.name) for pk, provider in self._providers.items()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if any(name in self.errors for name in ("days", "hours", "fee_standard", "region")):
            return data
        economy = data.get("new_economy") or AUTO
        values = ProjectValues(
            name=data.get("name") or "", training_type=data.get("training_type") or "",
            sub_type=data.get("sub_type") or "", employer_name=data.get("employer_name") or "",
            occupation_code=data.get("occupation_code") or "",
            occupation_name=data.get("occupation_name") or "",
            days=data.get("days") or 0, hours=data.get("hours") or 0,
            delivery=data.get("delivery") or "",
            fee_standard=data.get("fee_standard") or Decimal("0"),
            categories=list(data.get("categories") or []),
            accommodations=sum(int(v) for v in data.get("accommodations") or []),
            summary=data.get("summary") or "",
            region=self._regions.get(data.get("region") or ""),
            providers=[self._providers[pk] for pk in data.get("providers") or []
                       if pk in self._providers],
            new_economy=None if economy == AUTO else ("" if economy == NONE else economy),
        )
        for problem in check_project(values):
            field = problem.field if problem.field in self.fields else None
            if field is not None and field in self.errors:
                continue
            self.add_error(field, problem.message)
        self.values = values if not self.errors else None
        return data


class ProjectEditForm(VersionedFormMixin, ProjectForm):
    pass


def initial_of(project: TrainingProject) -> dict[str, Any]:
    return {
        "name": project.name, "training_type": project.training_type,
        "sub_type": project.sub_type, "employer_name": project.employer_name,
        "occupation_code": project.occupation_code, "occupation_name": project.occupation_name,
        "days": project.days, "hours": project.hours, "delivery": project.delivery,
        "fee_standard": project.fee_standard, "categories": list(project.categories),
        "accommodations": [str(item.value) for item in Accommodation
                           if project.accommodations & item.value],
        "summary": project.summary, "region": project.region_code,
        "providers": [str(p.pk) for p in project.providers.all()],
        "new_economy": project.new_economy or NONE, "version": project.version,
    }


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What must change"), max_length=500, min_length=2,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The city sees this with the project; be specific."))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the project withdrawn?"), max_length=300, min_length=2,
        help_text=_("Kept with the project and shown to staff."))


class BrandForm(forms.Form):
    city = forms.ChoiceField(label=_("City"))
    project = forms.ChoiceField(
        label=_("Project"),
        help_text=_("A published project of the city, or a province-wide one."))
    note = forms.CharField(label=_("Why this project (optional)"), required=False,
                           max_length=300)

    def __init__(self, actor: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cities = {region.code: region for region in selectors.region_choices(user=actor)
                        if region.level == "city"}
        self.fields["city"].choices = _blank(_("Choose a city")) + [
            (code, region.name) for code, region in self._cities.items()]
        self._projects = {str(p.pk): p for p in selectors.brand_candidates(user=actor)}
        self.fields["project"].choices = _blank(_("Choose a project")) + [
            (pk, f"{project.code} {project.name}") for pk, project in self._projects.items()]

    @property
    def chosen_city(self) -> Any:
        return self._cities[self.cleaned_data["city"]]

    @property
    def chosen_project(self) -> TrainingProject:
        return self._projects[self.cleaned_data["project"]]


class BrandRemoveForm(forms.Form):
    reason = forms.CharField(label=_("Why is it removed?"), max_length=300, min_length=2)
