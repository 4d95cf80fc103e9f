"""Forms of the certificate pages. They parse; the services and ``rules.py`` decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.certificates.choices import CertificateStatus, SkillCertificateKind, SkillLevel
from skillplan.certificates.rules import SkillCertificateValues
from skillplan.certificates.selectors import CertificateFilters
from skillplan.certificates.services import REVOKE_REASON_MAX


class CertificateFilterForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), required=False, max_length=40,
                             widget=forms.TextInput(attrs={"type": "search"}))
    class_code = forms.CharField(label=_("Class code"), required=False, max_length=24,
                                 help_text=_("For example HN-430100-2025-0001."))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status"))] + CertificateStatus.choices)
    year = forms.IntegerField(label=_("Year of issue"), required=False, min_value=2000,
                              max_value=2100)

    def filters(self) -> CertificateFilters:
        """The valid filters; an invalid value is ignored."""
        if not self.is_bound or not self.is_valid():
            return CertificateFilters()
        data = self.cleaned_data
        return CertificateFilters(number=(data.get("number") or "").strip(),
                                  class_code=(data.get("class_code") or "").strip(),
                                  status=data.get("status") or "", year=data.get("year"))


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"), max_length=REVOKE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say why, for example that the results were entered for the wrong "
                    "person. The holder sees the reason; the public page shows only that the "
                    "certificate was revoked and when."))


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=40,
                             help_text=_("As printed on the certificate, for example "
                                         "HNPX-2025-430102-00001."),
                             widget=forms.TextInput(attrs={"autocomplete": "off",
                                                           "spellcheck": "false"}))
    name = forms.CharField(label=_("Holder's full name"), max_length=50,
                           help_text=_("The full name as printed on the certificate."),
                           widget=forms.TextInput(attrs={"autocomplete": "off"}))


class SkillCertificateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of certificate"), choices=SkillCertificateKind.choices,
                             widget=forms.RadioSelect)
    level = forms.TypedChoiceField(
        label=_("Rank"), required=False, coerce=int, empty_value=None,
        choices=[("", _("No rank (qualification certificate)"))] + SkillLevel.choices,
        help_text=_("Required for a skill level certificate; leave empty for a vocational "
                    "qualification certificate."))
    occupation_name = forms.CharField(label=_("Occupation"), max_length=60,
                                      help_text=_("As the certificate names it, such as "
                                                  "中式面点师."))
    occupation_code = forms.CharField(
        label=_("Occupation code"), required=False, max_length=16,
        help_text=_("Optional: the code in the 2022 Occupational Classification, such as "
                    "4-03-02-02."))
    number = forms.CharField(label=_("Certificate number"), max_length=40)
    issuer = forms.CharField(label=_("Issued by"), max_length=120,
                             help_text=_("The body that issued the certificate, such as an "
                                         "accredited skill evaluation institution."))
    issued_on = forms.DateField(label=_("Date of issue"),
                                widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def values(self) -> SkillCertificateValues:
        data = self.cleaned_data
        return SkillCertificateValues(
            kind=data["kind"], level=data.get("level"),
            occupation_name=data["occupation_name"], number=data["number"],
            issuer=data["issuer"], issued_on=data["issued_on"],
            occupation_code=data.get("occupation_code") or "")
