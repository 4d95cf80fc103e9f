"""Forms of the class pages (list filters, open or change a class, the lifecycle steps).

They parse; ``rules.check_class`` and the services decide. Other parts of the training app
(enrolment, attendance, results …) keep their forms in modules of their own.
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.catalog.choices import Accommodation, TrainingType
from skillplan.core.forms import VersionedFormMixin
from skillplan.training import selectors
from skillplan.training.choices import ClassStatus
from skillplan.training.models import TrainingClass
from skillplan.training.rules import MAX_BUDGET, MAX_CAPACITY, ClassValues, check_class
from skillplan.training.selectors import ClassFilters


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClassFilterForm(forms.Form):
    """The list's filters (GET); field names are those of ``selectors.ClassFilters``."""

    q = forms.CharField(label=_("Class name or code"), required=False, max_length=60,
                        widget=forms.TextInput(attrs={"type": "search"}))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=_blank(_("Any status")) + ClassStatus.choices)
    region = forms.ChoiceField(label=_("City or county"), required=False)
    provider = forms.ChoiceField(label=_("Training provider"), required=False)
    training_type = forms.ChoiceField(label=_("Training type"), required=False,
                                      choices=_blank(_("All types")) + TrainingType.choices)
    year = forms.ChoiceField(label=_("Year of the first day"), required=False)
    late = forms.ChoiceField(
        label=_("Results"), required=False,
        choices=[("", _("All classes")), ("yes", _("Results late or overdue only"))])

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = selectors.region_filter_choices(user=user)
        if regions:
            self.fields["region"].choices = _blank(_("All of my area")) + [
                (region.code, region.full_name) for region in regions]
        else:
            del self.fields["region"]
        if getattr(user, "provider_id", None):
            del self.fields["provider"]
        else:
            self.fields["provider"].choices = _blank(_("All providers")) + [
                (str(provider.pk), provider.name)
                for provider in selectors.provider_choices(user=user)]
        this_year = timezone.localdate().year
        self.fields["year"].choices = _blank(_("Any year")) + [
            (str(year), str(year)) for year in range(this_year + 1, this_year - 6, -1)]

    def filters(self) -> ClassFilters:
        """The valid filters; an invalid value is ignored."""
        if not self.is_bound:
            return ClassFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return ClassFilters(**{item.name: str(data.get(item.name) or "").strip()
                               for item in dataclass_fields(ClassFilters)})

    def active(self) -> bool:
        return any(vars(self.filters()).values())

    def active_values(self) -> list[tuple[str, str]]:
        filters = self.filters()
        return [(item.name, getattr(filters, item.name))
                for item in dataclass_fields(ClassFilters) if getattr(filters, item.name)]


class ClassForm(forms.Form):
    """Open or change a class; ``clean`` runs the class rules and puts each problem on its
    field; ``values`` then holds what the services take. Provider staff open classes of their
    own institution; federation clerks choose the provider."""

    name = forms.CharField(label=_("Class name"), max_length=120,
                           help_text=_("For example 面点师培训班（第一期）."))
    provider = forms.ChoiceField(label=_("Training provider"))
    project = forms.ChoiceField(
        label=_("Catalog project"),
        help_text=_("A published project of the training catalog that the provider is "
                    "allowed to run. The training type comes from the project."))
    region = forms.ChoiceField(label=_("County where the class is held"))
    start_date = forms.DateField(label=_("First day"), widget=_date_widget(),
                                 help_text=_("As a date, for example 2025-03-01."))
    end_date = forms.DateField(label=_("Last day"), widget=_date_widget())
    days = forms.IntegerField(label=_("Training days"), min_value=1, max_value=365)
    hours = forms.IntegerField(label=_("Class hours"), min_value=1, max_value=2920,
                               help_text=_("At most 8 class hours a day."))
    venue = forms.CharField(label=_("Venue"), max_length=200,
                            help_text=_("The address where the class is held."))
    venue_accessible = forms.BooleanField(label=_("The venue is accessible"), required=False)
    venue_accessibility_note = forms.CharField(
        label=_("Accessibility of the venue"), required=False, max_length=300,
        help_text=_("For example: step-free entrance, lift, accessible toilet on the same "
                    "floor."))
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=MAX_CAPACITY)
    teachers = forms.CharField(label=_("Teachers"), required=False, max_length=1000,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("Names and subjects, one teacher per line."))
    accommodations = forms.MultipleChoiceField(
        label=_("Accommodations offered"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(str(value), label) for value, label in Accommodation.choices])
    budget = forms.DecimalField(label=_("Budget (yuan)"), min_value=Decimal("0"),
                                max_value=MAX_BUDGET, max_digits=12, decimal_places=2,
                                help_text=_("For example 36000.00."))

    def __init__(self, actor: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.values: ClassValues | None = None
        self._own_provider = getattr(actor, "provider", None) if getattr(
            actor, "provider_id", None) else None
        if self._own_provider is not None:
            del self.fields["provider"]
            self._providers = {str(self._own_provider.pk): self._own_provider}
        else:
            self._providers = {str(p.pk): p for p in selectors.provider_choices(user=actor)}
            self.fields["provider"].choices = _blank(_("Choose a provider")) + [
                (pk, provider.name) for pk, provider in self._providers.items()]
        self._projects = {str(p.pk): p for p in selectors.runnable_projects(user=actor)}
        self.fields["project"].choices = _blank(_("Choose a project")) + [
            (pk, f"{project.code} {project.name}") for pk, project in self._projects.items()]
        self._regions = {r.code: r for r in selectors.county_choices(user=actor)}
        self.fields["region"].choices = _blank(_("Choose a county")) + [
            (code, region.full_name) for code, region in self._regions.items()]

    def _provider(self, data: dict[str, Any]) -> Any:
        if self._own_provider is not None:
            return self._own_provider
        return self._providers.get(data.get("provider") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = ClassValues(
            name=data.get("name") or "", project=self._projects.get(data.get("project") or ""),
            provider=self._provider(data), region=self._regions.get(data.get("region") or ""),
            start_date=data.get("start_date"), end_date=data.get("end_date"),
            days=data.get("days") or 0, hours=data.get("hours") or 0,
            venue=data.get("venue") or "", venue_accessible=bool(data.get("venue_accessible")),
            venue_accessibility_note=data.get("venue_accessibility_note") or "",
            capacity=data.get("capacity") or 0, teachers=data.get("teachers") or "",
            accommodations=sum(int(v) for v in data.get("accommodations") or []),
            budget=data.get("budget") if data.get("budget") is not None else Decimal("0"),
        )
        for problem in check_class(values):
            field = problem.field if problem.field in self.fields else None
            if field is not None and field in self.errors:
                continue  # already explained by the field itself
            self.add_error(field, problem.message)
        self.values = values if not self.errors else None
        return data


class ClassEditForm(VersionedFormMixin, ClassForm):
    pass


def initial_of(training_class: TrainingClass) -> dict[str, Any]:
    return {
        "name": training_class.name, "provider": str(training_class.provider_id),
        "project": str(training_class.project_id), "region": training_class.region_code,
        "start_date": training_class.start_date, "end_date": training_class.end_date,
        "days": training_class.days, "hours": training_class.hours,
        "venue": training_class.venue, "venue_accessible": training_class.venue_accessible,
        "venue_accessibility_note": training_class.venue_accessibility_note,
        "capacity": training_class.capacity, "teachers": training_class.teachers,
        "accommodations": [str(item.value) for item in Accommodation
                           if training_class.accommodations & item.value],
        "budget": training_class.budget, "version": training_class.version,
    }


# --- the lifecycle steps -----------------------------------------------------------------


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What must change"), max_length=500, min_length=2,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The provider sees this with the class; be specific."))


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the class cancelled?"), max_length=300, min_length=2,
        help_text=_("Kept with the class and shown on its timeline."))


class EvaluatorForm(forms.Form):
    evaluator = forms.ChoiceField(
        label=_("Third-party evaluator"), required=False,
        help_text=_("The evaluator may see this class and record inspections of it."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._evaluators = {str(u.pk): u for u in selectors.evaluator_choices()}
        self.fields["evaluator"].choices = _blank(_("No evaluator")) + [
            (pk, evaluator.display_name) for pk, evaluator in self._evaluators.items()]

    @property
    def chosen(self) -> Any:
        return self._evaluators.get(self.cleaned_data.get("evaluator") or "")
