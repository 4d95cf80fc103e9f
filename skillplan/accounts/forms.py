from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.accounts.models import User
from skillplan.accounts.scoping import restrict, scope_of
from skillplan.core.errors import RuleError
from skillplan.core.forms import VersionedFormMixin
from skillplan.core.phone import normalize_phone
from skillplan.providers.models import Provider
from skillplan.regions.models import Region, RegionLevel


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("User name"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TotpForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )


class TotpReplaceForm(forms.Form):
    """Switching to a new key while two-factor sign-in is on: the current key proves it is you."""

    current_code = forms.CharField(
        label=_("6-digit code from your current key"),
        max_length=8,
        help_text=_("Two-factor sign-in is already on. Enter the code your app shows now for "
                    "the key you use today. Lost it? Ask the security administrator to reset "
                    "two-factor sign-in."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )
    code = forms.CharField(
        label=_("6-digit code from the new key"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("New password"), strip=False,
        help_text=_("At least 12 characters, not a common password, not only digits."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_again = forms.CharField(
        label=_("New password again"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_old_password(self) -> str:
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("The current password is not right."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new, again = data.get("new_password"), data.get("new_password_again")
        if new and again and new != again:
            self.add_error("new_password_again", _("The two new passwords are not the same."))
        elif new:
            try:
                password_validation.validate_password(new, self.user)
            except forms.ValidationError as error:
                self.add_error("new_password", error)
        return data


def regions_for(actor: User) -> Any:
    levels = [RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY]
    regions = Region.objects.filter(level__in=levels, valid_to__isnull=True)
    return regions.filter(code__startswith=scope_of(actor).region_code).order_by("code")


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:  # type: ignore[override]
        return f"{obj.full_name}（{obj.get_level_display()}）"


class UserForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    role = forms.ChoiceField(label=_("Role"))
    region = RegionChoiceField(
        label=_("Region"), queryset=Region.objects.none(),
        help_text=_("Province staff: the province; city staff: their city; county staff: "
                    "their county; provider staff: the county of their provider."),
    )
    provider = forms.ModelChoiceField(
        label=_("Training provider"), queryset=Provider.objects.none(), required=False,
        help_text=_("Only for provider staff."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("Email"), required=False)

    def __init__(self, actor: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            (value, label) for value, label in roles.Role.choices
            if value in roles.assignable_roles(actor.role)
        ]
        self.fields["region"].queryset = regions_for(actor)
        self.fields["provider"].queryset = restrict(
            Provider.objects.all(), actor, permission=roles.VIEW_DIRECTORY
        )

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "")
        if not value:
            return ""
        try:
            return normalize_phone(value)
        except RuleError as error:
            raise forms.ValidationError(error.message) from error


class UserCreateForm(UserForm):
    username = forms.RegexField(
        label=_("User name"), max_length=150, regex=r"^[A-Za-z0-9_.@+-]+$",
        help_text=_("Letters, digits and . @ + - _ only; used to sign in."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("First password"), strip=False,
        help_text=_("At least 12 characters, not a common password. Give it to the person "
                    "safely; they can change it after signing in."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    field_order = ["username", "password", "full_name", "role", "region", "provider", "phone",
                   "email"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken."))
        return username


class UserEditForm(VersionedFormMixin, UserForm):
    pass


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or user name"), required=False)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *roles.Role.choices]
    )
    active = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("All")), ("yes", _("Active")), ("no", _("Deactivated"))],
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=80,
        help_text=_("What the token is for, e.g. the name of the system that uses it."),
    )
