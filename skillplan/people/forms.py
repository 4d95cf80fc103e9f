"""Forms of the registry pages. They parse; ``rules.check_person`` and the services decide."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skillplan.accounts.scoping import Reach, scope_of
from skillplan.core.disability import DisabilityCategory, DisabilityGrade
from skillplan.core.forms import VersionedFormMixin
from skillplan.people.choices import (
    AGE_BANDS,
    ETHNIC_GROUPS,
    Education,
    EmploymentStatus,
    Gender,
    SpecialGroup,
    UrbanRural,
)
from skillplan.people.models import Person
from skillplan.people.rules import PersonValues, Problem, check_person
from skillplan.people.selectors import DERIVED_GROUPS, PersonFilters
from skillplan.regions.models import Region, RegionLevel
from skillplan.regions.selectors import region_index

PROTECTED = ("id_number", "certificate_number", "phone")
AGE_BAND_LABELS = {
    "under16": _("Under 16"), "16-24": _("16 to 24"), "25-34": _("25 to 34"),
    "35-44": _("35 to 44"), "45-54": _("45 to 54"), "55-59": _("55 to 59"),
    "60+": _("60 and over"),
}  # fmt: skip
DERIVED_GROUP_LABELS = {
    "women": _("Disabled women"), "blind": _("Blind or low vision"),
    "rural": _("Rural disabled persons"), "student": _("Disabled students"),
}  # fmt: skip


def _regions_in_scope(actor: Any, levels: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(code, full name, level) of the current regions the actor's area covers."""
    scope = scope_of(actor)
    if scope.reach not in (Reach.PROVINCE, Reach.REGION):
        return []
    return list(
        Region.objects.filter(level__in=levels, valid_to__isnull=True,
                              code__startswith=scope.region_code)
        .order_by("code").values_list("code", "full_name", "level")
    )


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


# The form field of a filter whose name differs from its PersonFilters field.
FORM_FIELD_OF = {"id_hash": "idh"}


class PersonFilterForm(forms.Form):
    """The list's filters (GET); field names are those of ``selectors.PersonFilters``."""

    q = forms.CharField(
        label=_("Name or ID number"), required=False, max_length=50,
        help_text=_("The start of a name, or a full 18-character ID number."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    idh = forms.RegexField(regex=r"^[0-9a-f]{64}$", required=False, widget=forms.HiddenInput)
    region_code = forms.ChoiceField(label=_("Region"), required=False)
    category = forms.ChoiceField(
        label=_("Disability category"), required=False,
        choices=_blank(_("All categories")) + DisabilityCategory.choices,
    )
    grade = forms.ChoiceField(
        label=_("Disability grade"), required=False,
        choices=_blank(_("All grades")) + DisabilityGrade.choices,
    )
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=_blank(_("Both")) + Gender.choices
    )
    age_band = forms.ChoiceField(
        label=_("Age"), required=False,
        choices=_blank(_("All ages")) + [(key, AGE_BAND_LABELS[key]) for key in AGE_BAND_LABELS
                                         if key in AGE_BANDS],
    )
    urban_rural = forms.ChoiceField(
        label=_("Urban or rural"), required=False,
        choices=_blank(_("Both")) + UrbanRural.choices,
    )
    employment_status = forms.ChoiceField(
        label=_("Employment status"), required=False,
        choices=_blank(_("Any status")) + EmploymentStatus.choices,
    )
    special_group = forms.ChoiceField(
        label=_("Special group"), required=False,
        choices=_blank(_("Any or none"))
        + [(key, DERIVED_GROUP_LABELS[key]) for key in DERIVED_GROUPS]
        + [(str(value), label) for value, label in SpecialGroup.choices],
    )
    working_age = forms.ChoiceField(
        label=_("Working age"), required=False,
        choices=[("", _("Any age")), ("yes", _("Working age")),
                 ("no", _("Below or above working age"))],
    )

    def __init__(self, actor: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = _regions_in_scope(actor, (RegionLevel.CITY, RegionLevel.COUNTY))
        self.fields["region_code"].choices = _blank(_("All my area")) + [
            (code, name if level == RegionLevel.CITY else f"— {name}")
            for code, name, level in regions
        ]

    def filters(self) -> PersonFilters:
        """The valid filters; an invalid one (say, a region outside the area) is ignored."""
        if not self.is_bound:
            return PersonFilters()
        self.is_valid()
        data = {**self.cleaned_data, "id_hash": self.cleaned_data.get("idh", "")}
        return PersonFilters(**{item.name: (data.get(item.name) or "").strip()
                                for item in dataclass_fields(PersonFilters)})

    def active_values(self) -> list[tuple[str, str]]:
        """(name, value) of the filters in use, to carry them into the export form."""
        filters = self.filters()
        return [(FORM_FIELD_OF.get(item.name, item.name), getattr(filters, item.name))
                for item in dataclass_fields(PersonFilters) if getattr(filters, item.name)]


class PersonForm(forms.Form):
    """Register or change a person. ``clean`` runs the shared person rules and puts each
    problem on its field; ``values`` then holds what the services take."""

    name = forms.CharField(label=_("Full name"), max_length=50)
    id_number = forms.CharField(
        label=_("ID number"), max_length=30,
        help_text=_("18 characters; the last one may be X. An old 15-digit number is "
                    "converted."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    certificate_number = forms.CharField(
        label=_("Disability certificate number"), max_length=30,
        help_text=_("20 characters: the ID number, then the category digit and the grade "
                    "digit."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    category = forms.ChoiceField(
        label=_("Disability category"), required=False,
        choices=_blank(_("Take it from the certificate number")) + DisabilityCategory.choices,
        help_text=_("Leave as it is to take it from the certificate number; if you choose "
                    "one, it must agree with the certificate."),
    )
    grade = forms.ChoiceField(
        label=_("Disability grade"), required=False,
        choices=_blank(_("Take it from the certificate number")) + DisabilityGrade.choices,
    )
    gender = forms.ChoiceField(
        label=_("Gender"), required=False,
        choices=_blank(_("Take it from the ID number")) + Gender.choices,
    )
    birth_date = forms.CharField(
        label=_("Birth date"), required=False, max_length=20,
        help_text=_("For example 1990-05-17. Leave empty to take it from the ID number."),
    )
    ethnicity = forms.ChoiceField(
        label=_("Ethnicity"), required=False,
        choices=_blank(_("Not recorded")) + [(name, name) for name in ETHNIC_GROUPS],
    )
    education = forms.ChoiceField(
        label=_("Education"), required=False,
        choices=_blank(_("Not recorded")) + Education.choices,
    )
    region = forms.ChoiceField(
        label=_("Household county"),
        error_messages={"invalid_choice": _(
            "Choose a county inside your own area from the list.")},
    )
    urban_rural = forms.ChoiceField(
        label=_("Urban or rural household"), required=False,
        choices=_blank(_("Not recorded")) + UrbanRural.choices,
    )
    phone = forms.CharField(
        label=_("Phone"), required=False, max_length=20,
        help_text=_("A mobile number, or a landline with its area code such as "
                    "0731-84561234."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    employment_status = forms.ChoiceField(
        label=_("Employment status"), required=False,
        choices=_blank(_("Not recorded")) + EmploymentStatus.choices,
    )
    special_groups = forms.MultipleChoiceField(
        label=_("Special groups"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(str(value), label) for value, label in SpecialGroup.choices],
        help_text=_("Disabled women, blind persons, rural persons and students are found "
                    "from the other fields; tick only the groups that apply besides."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=500,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, actor: Any, *args: Any, person: Person | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.values: PersonValues | None = None
        self.warnings: list[Problem] = []
        self.fields["region"].choices = _blank(_("Choose a county")) + [
            (code, name) for code, name, _level in
            _regions_in_scope(actor, (RegionLevel.COUNTY,))
        ]

    def _raw(self, data: dict[str, Any]) -> dict[str, Any]:
        raw = {name: data.get(name) for name in self.fields if name != "special_groups"}
        raw["special_groups"] = sum(int(value) for value in data.get("special_groups") or [])
        return raw

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        checked = check_person(self._raw(data), regions=region_index(), today=date.today())
        for problem in checked.errors:
            field = problem.field if problem.field in self.fields else None
            if field is not None and field in self.errors:
                continue  # the form already explained this field (e.g. "required")
            self.add_error(field, problem.message)
        self.values, self.warnings = checked.values, checked.warnings
        return data


class PersonEditForm(VersionedFormMixin, PersonForm):
    """Change a person. The protected numbers are never sent to the browser: their fields start
    empty, show the masked value, and an empty field keeps the stored number."""

    remove_phone = forms.BooleanField(label=_("Remove the phone number"), required=False)

    def __init__(self, actor: Any, *args: Any, person: Person, **kwargs: Any) -> None:
        kwargs.setdefault("initial", initial_of(person))
        super().__init__(actor, *args, person=person, **kwargs)
        keep = _("Now %(masked)s. Leave empty to keep it; type the full number to change it.")
        for name in PROTECTED:
            self.fields[name].required = False
            current = getattr(person, name)
            if current:
                self.fields[name].help_text = keep % {"masked": getattr(person, f"masked_{name}")}
        if not person.phone:
            del self.fields["remove_phone"]
        self.order_fields([*PersonForm.base_fields, "remove_phone", "version"])

    def _raw(self, data: dict[str, Any]) -> dict[str, Any]:
        raw = super()._raw(data)
        raw.pop("remove_phone", None)
        raw.pop("version", None)
        assert self.person is not None
        for name in PROTECTED:
            if not raw.get(name):
                raw[name] = getattr(self.person, name)
        if data.get("remove_phone"):
            raw["phone"] = ""
        return raw


def initial_of(person: Person) -> dict[str, Any]:
    """The edit form's starting values: everything but the protected numbers."""
    return {
        "name": person.name, "category": person.category, "grade": person.grade,
        "gender": person.gender, "birth_date": person.birth_date.isoformat(),
        "ethnicity": person.ethnicity, "education": person.education,
        "region": person.region_code, "urban_rural": person.urban_rural,
        "employment_status": person.employment_status, "notes": person.notes,
        "special_groups": [str(group.value) for group in SpecialGroup
                           if person.flags & group.value],
        "version": person.version,
    }


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need the full numbers?"), max_length=200, min_length=2,
        help_text=_("For example: checking the certificate with the person at the counter. "
                    "Your name and this reason are kept in the audit trail."),
    )


class MergeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are these the same person?"), max_length=200, min_length=2,
        help_text=_("For example: the same person registered twice, once with an old ID "
                    "number. Kept in the audit trail."),
    )
