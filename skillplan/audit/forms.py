from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skillplan.audit.selectors import AuditFilters


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    actor = forms.CharField(
        label=_("Actor (user name)"), required=False, max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    event = forms.CharField(
        label=_("Event code"), required=False, max_length=64,
        help_text=_("The start of the code is enough: “user.” finds every user event."),
        widget=forms.TextInput(attrs={"autocapitalize": "none"}),
    )
    target_type = forms.CharField(
        label=_("Target type"), required=False, max_length=64,
        help_text=_("For example accounts.user."),
        widget=forms.TextInput(attrs={"autocapitalize": "none"}),
    )
    target_id = forms.CharField(label=_("Target ID"), required=False, max_length=64)
    date_from = forms.DateField(label=_("From date"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To date"), required=False, widget=DateInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return data

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(
            actor=data.get("actor", "").strip(),
            event=data.get("event", "").strip(),
            target_type=data.get("target_type", "").strip(),
            target_id=data.get("target_id", "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
