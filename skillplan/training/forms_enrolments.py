"""Forms of the roster pages: the registry search, enrolling a found person, a named
participant, and a withdrawal. They parse; the enrolment services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

_CANDIDATE_SALT = "training.enrol_candidate"
CANDIDATE_MAX_AGE = 60 * 60  # seconds a search result's "Enrol" button stays valid


class RosterSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or ID number"), max_length=40, help_text=_(
        "The beginning of a name, or the full 18-character ID number."))

    def __init__(self, *args: Any, by_name: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not by_name:
            field = self.fields["q"]
            field.label = _("ID number")
            field.help_text = _("The full 18-character ID number on the person's ID card. "
                                "Training providers find registered persons by ID number only.")


def candidate_token(*, user_pk: int, class_pk: int, person_pk: int) -> str:
    """A signed reference to one search result: the "Enrol" button can only enrol a person
    the search showed to this user for this class (a typed person number is refused)."""
    return signing.dumps({"u": user_pk, "c": class_pk, "p": person_pk}, salt=_CANDIDATE_SALT)


def candidate_person_pk(token: str, *, user_pk: int, class_pk: int) -> int | None:
    try:
        data = signing.loads(token, salt=_CANDIDATE_SALT, max_age=CANDIDATE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user_pk or data.get("c") != class_pk:
        return None
    person_pk = data.get("p")
    return person_pk if isinstance(person_pk, int) else None


class EnrolForm(forms.Form):
    candidate = forms.CharField(widget=forms.HiddenInput, max_length=300)


class ParticipantForm(forms.Form):
    name = forms.CharField(label=_("Participant's name"), max_length=50)
    employer = forms.CharField(label=_("Employer"), max_length=120, help_text=_(
        "The company, employment service or training base the participant works for."))
    role = forms.CharField(label=_("Position"), max_length=60, required=False)

    prefix = "participant"


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the withdrawal"), max_length=300, min_length=2,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: found a job and cannot attend; moved away. The reason is kept "
                    "with the roster and in the audit trail."))
