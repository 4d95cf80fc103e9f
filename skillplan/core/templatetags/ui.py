"""Template helpers of the accessible shell."""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

from skillplan.core.forms import describe_widget_attrs

register = template.Library()


@register.filter
def accessible_widget(bound_field: forms.BoundField) -> SafeString:
    """Render a control with aria-describedby/aria-invalid tied to its hint and errors."""
    return bound_field.as_widget(attrs=describe_widget_attrs(bound_field))


@register.filter
def is_choice_group(bound_field: forms.BoundField) -> bool:
    """Radio and checkbox groups get a fieldset and legend instead of a label."""
    return isinstance(
        bound_field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple
    )


@register.filter
def is_checkbox(bound_field: forms.BoundField) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)
