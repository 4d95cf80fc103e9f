"""Forms of the pages during and at the end of a class: the attendance grid and its day picker,
the inspection form with evidence files, and one results row per trainee."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from skillplan.training.choices import AttendanceMark, InspectionRating
from skillplan.training.models import Enrolment, TrainingClass
from skillplan.training.services.inspections import MAX_FILES

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DayForm(forms.Form):
    """The day picker of the attendance grid (GET)."""

    day = forms.DateField(label=_("Day"), widget=DATE_INPUT)


def mark_field_name(enrolment: Enrolment) -> str:
    return f"mark_{enrolment.pk}"


class AttendanceForm(forms.Form):
    """One radio group per active trainee; a trainee left without a mark is not recorded."""

    day = forms.DateField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, enrolments: list[Enrolment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enrolments = enrolments
        for enrolment in enrolments:
            self.fields[mark_field_name(enrolment)] = forms.ChoiceField(
                label=enrolment.display_name, required=False,
                choices=AttendanceMark.choices, widget=forms.RadioSelect)

    def marks(self) -> dict[int, str]:
        """Enrolment id → the mark chosen (rows left empty are left out)."""
        return {enrolment.pk: self.cleaned_data[mark_field_name(enrolment)]
                for enrolment in self.enrolments
                if self.cleaned_data.get(mark_field_name(enrolment))}

    def rows(self) -> list[tuple[Enrolment, forms.BoundField]]:
        return [(enrolment, self[mark_field_name(enrolment)]) for enrolment in self.enrolments]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one control; the service checks their content, size and number."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,"
                             ".webp,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class InspectionForm(forms.Form):
    inspected_on = forms.DateField(label=_("Date of inspection"), widget=DATE_INPUT)
    inspector = forms.CharField(label=_("Inspector"), max_length=100,
                                help_text=_("Name and organisation of who inspected."))
    rating = forms.ChoiceField(label=_("Rating"), choices=InspectionRating.choices,
                               widget=forms.RadioSelect)
    findings = forms.CharField(label=_("Findings"), max_length=3000,
                               widget=forms.Textarea(attrs={"rows": 6}))
    files = MultipleFileField(
        label=_("Evidence (photos or PDF)"), required=False,
        help_text=_("Up to %(count)s files: photos (JPEG, PNG, WebP) or PDF documents, each "
                    "at most %(size)s MB.") % {"count": MAX_FILES, "size": "%(size)s"})

    def __init__(self, *args: Any, max_mb: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = str(self.fields["files"].help_text) % {"size": max_mb}


PASSED_CHOICES = [("yes", _("Passed (合格)")), ("no", _("Failed (不合格)"))]


class ResultRowForm(forms.Form):
    """The results of one trainee (prefix ``r<enrolment id>``)."""

    passed = forms.ChoiceField(choices=PASSED_CHOICES, widget=forms.RadioSelect)
    score = forms.DecimalField(min_value=Decimal("0"), max_value=Decimal("100"),
                               max_digits=4, decimal_places=1, required=False,
                               widget=forms.NumberInput(attrs={"step": "0.1", "min": "0",
                                                               "max": "100"}))
    attendance_days = forms.IntegerField(min_value=0, required=False)
    certificate_number = forms.CharField(max_length=40, required=False)

    def __init__(self, *args: Any, enrolment: Enrolment, training_class: TrainingClass,
                 **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"r{enrolment.pk}")
        super().__init__(*args, **kwargs)
        self.enrolment = enrolment
        name = enrolment.display_name
        self.fields["passed"].label = _("Result of %(name)s") % {"name": name}
        self.fields["score"].label = _("Score of %(name)s") % {"name": name}
        days = self.fields["attendance_days"]
        days.label = _("Days attended by %(name)s") % {"name": name}
        days.max_value = training_class.days
        days.validators.append(MaxValueValidator(training_class.days))
        days.widget.attrs.update({"min": "0", "max": str(training_class.days)})
        self.fields["certificate_number"].label = _("Certificate number of %(name)s") % {
            "name": name}

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"passed": data["passed"] == "yes", "score": data.get("score"),
                "attendance_days": data.get("attendance_days"),
                "certificate_number": data.get("certificate_number") or ""}


def result_initial(enrolment: Enrolment, attended: int | None, class_days: int
                   ) -> dict[str, Any]:
    """What the row shows before anything is typed: the saved results, or for attendance the
    days counted from the attendance records."""
    passed = None if enrolment.passed is None else ("yes" if enrolment.passed else "no")
    days = enrolment.attendance_days
    if days is None and attended is not None:
        days = min(attended, class_days)
    return {"passed": passed, "score": enrolment.score, "attendance_days": days,
            "certificate_number": enrolment.certificate_number}

