"""Forms of the claim pages: list filters, the hidden request key of a preparation, the
review and approval decision, a payment, an adjustment. They parse; the services decide."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.core.masking import mask_name
from skillplan.subsidies.choices import ClaimStatus
from skillplan.subsidies.models import ClaimLine
from skillplan.subsidies.selectors_claims import ClaimFilters


def new_request_key() -> str:
    """The key a form carries from the moment it is shown: a retry sends the same one."""
    return uuid.uuid4().hex


class ClaimFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *ClaimStatus.choices])
    class_code = forms.CharField(label=_("Class code"), required=False, max_length=24,
                                 widget=forms.TextInput(attrs={"type": "search"}),
                                 help_text=_("The whole code or its beginning."))
    year = forms.ChoiceField(label=_("Year of the class"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [("", _("Any year"))] + [
            (str(year), str(year)) for year in range(this_year, this_year - 6, -1)]

    def filters(self) -> ClaimFilters:
        if not self.is_bound or not self.is_valid():
            return ClaimFilters()
        data = self.cleaned_data
        return ClaimFilters(status=data["status"] or "", class_code=data["class_code"] or "",
                            year=data["year"] or "")

    def active(self) -> bool:
        filters = self.filters()
        return bool(filters.status or filters.class_code or filters.year)


class RequestKeyForm(forms.Form):
    request_key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class DecisionForm(forms.Form):
    """Pass the claim on (or approve it), or return it with a comment (then required)."""

    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you return the claim: say what must change. The preparer "
                    "sees it, and it stays on the claim's path."))


class SubmitForm(forms.Form):
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2}))


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Date of payment"),
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    voucher_number = forms.CharField(label=_("Voucher number"), max_length=60,
                                     help_text=_("Each voucher of your level is recorded "
                                                 "once."))
    amount = forms.DecimalField(label=_("Amount paid (yuan)"), max_digits=12, decimal_places=2,
                                min_value=Decimal("0.01"))

    def clean_paid_on(self) -> Any:
        value = self.cleaned_data["paid_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date of payment cannot be in the future."))
        return value


def line_label(line: ClaimLine) -> str:
    enrolment = line.entitlement.enrolment if line.entitlement_id else None
    name = enrolment.display_name if enrolment is not None else ""
    return f"{mask_name(name)} · {line.get_item_display()} · {line.amount}"


class AdjustmentForm(forms.Form):
    """One signed correction of a line of the approved claim, with the reason."""

    request_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    line = forms.ChoiceField(label=_("Line to correct"))
    amount = forms.DecimalField(
        label=_("Correction (yuan, signed)"), max_digits=12, decimal_places=2,
        help_text=_("The difference to pay: positive to pay more, negative (e.g. -100) to pay "
                    "less."))
    explanation = forms.CharField(label=_("How the correction is computed"), max_length=500,
                                  help_text=_("For example: 1 more day attended × 100 yuan."))
    reason = forms.CharField(label=_("Reason for the adjustment"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Kept with the adjustment and shown to the reviewer "
                                         "and the approver."))

    def __init__(self, lines: list[ClaimLine], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = {str(line.pk): line for line in lines}
        self.fields["line"].choices = [("", _("Choose a line"))] + [
            (key, line_label(line)) for key, line in self.lines.items()]

    def chosen(self) -> ClaimLine:
        return self.lines[self.cleaned_data["line"]]
