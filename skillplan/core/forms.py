"""Accessible forms: every control labelled, hints and errors tied by aria-describedby,
an error summary at the top that links to each field, and the user's input kept."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates


class AccessibleFormRenderer(DjangoTemplates):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


class VersionedFormMixin(forms.Form):
    """Carries the record version the user saw, for optimistic locking."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def describe_widget_attrs(bound_field: forms.BoundField) -> dict[str, Any]:
    """aria-* attributes for a field's control, from its hint and errors."""
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_hint")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}_error")
    attrs: dict[str, Any] = {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    if bound_field.field.required and not isinstance(
        bound_field.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect
    ):
        attrs["required"] = True
        attrs["aria-required"] = "true"
    return attrs


def apply_validation_error(
    form: forms.Form, error: Any, *, password_field: str | None = None
) -> None:
    """Put a service's ValidationError on the form: field errors on fields, the rest on top.

    Password-validator errors (no field) go to ``password_field`` when given.
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(password_field if password_field in form.fields else None, error)
