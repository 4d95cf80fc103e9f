"""Every write to accounts: creating and changing users, sign-in security, two-factor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles, tokens
from skillplan.accounts.models import LoginFailure, User
from skillplan.accounts.scoping import scope_of
from skillplan.audit.services import audit_record, changed_fields, snapshot
from skillplan.core.masking import mask_phone
from skillplan.core.models import save_versioned
from skillplan.regions.models import Region

USER_FIELDS = ["full_name", "role", "region_id", "provider_id", "phone", "email", "is_active"]
# The separated administrators (三员): their roles are given only by the system administrator
# (roles.assignable_roles); the security and audit administrators' roles, once given, cannot be
# changed (ADR 0004).
GUARDED_ROLES = frozenset({roles.Role.SECADMIN, roles.Role.AUDITOR})


def _masked(values: dict[str, Any]) -> dict[str, Any]:
    """Values as the audit trail keeps them: the phone number masked."""
    if values.get("phone"):
        values = {**values, "phone": mask_phone(values["phone"])}
    return values


@dataclass(frozen=True)
class UserData:
    full_name: str
    role: str
    region: Region | None
    provider: Any = None
    phone: str = ""
    email: str = ""


def _check_may_manage(actor: User, *, role: str, region: Region | None) -> None:
    """The actor may give ``role`` in ``region``: role assignable and region in their scope."""
    if not actor.has_perm(roles.MANAGE_USERS):
        raise PermissionDenied
    if role not in roles.assignable_roles(actor.role):
        raise ValidationError({"role": _("You may not give this role.")})
    if region is None or not scope_of(actor).covers_region(region.code):
        raise ValidationError({"region": _("Choose a region inside your own area.")})


def _check_role_fits(data: UserData) -> None:
    level = roles.ROLE_REGION_LEVEL.get(data.role)
    errors: dict[str, Any] = {}
    if data.region is None:
        errors["region"] = _("Choose a region.")
    elif level and data.region.level != level:
        errors["region"] = _("This role needs a region of the level “%(level)s”.") % {
            "level": data.region.get_level_display()
        }
    if data.role == roles.Role.PROVIDER and data.provider is None:
        errors["provider"] = _("Provider staff must belong to a training provider.")
    if data.role != roles.Role.PROVIDER and data.provider is not None:
        errors["provider"] = _("Only provider staff belong to a training provider.")
    if data.provider is not None and data.region is not None and (
        data.provider.region_code != data.region.code
    ):
        errors["region"] = _("Provider staff take the region of their provider.")
    if errors:
        raise ValidationError(errors)


def _check_role_change(actor: User, user: User, data: UserData) -> None:
    """Separation of duties (ADR 0004): nobody changes their own role or region, and the
    security and audit administrators keep their role."""
    errors: dict[str, Any] = {}
    if user.pk == actor.pk:
        if data.role != user.role:
            errors["role"] = _("You cannot change your own role; another administrator must.")
        if data.region != user.region:
            errors["region"] = _("You cannot change your own region; another administrator "
                                 "must.")
    elif user.role in GUARDED_ROLES and data.role != user.role:
        errors["role"] = _("The role of a security or audit administrator cannot be changed. "
                           "Deactivate the account and create a new one instead.")
    if errors:
        raise ValidationError(errors)


def user_may_manage(*, actor: User, user: User) -> bool:
    """Whether ``actor`` may change ``user`` (the same check as the write services)."""
    try:
        _check_may_manage(actor, role=user.role, region=user.region)
    except (PermissionDenied, ValidationError):
        return False
    return True


@transaction.atomic
def user_create(*, actor: User, username: str, password: str, data: UserData) -> User:
    _check_may_manage(actor, role=data.role, region=data.region)
    _check_role_fits(data)
    user = User(
        username=username,
        full_name=data.full_name,
        role=data.role,
        region=data.region,
        provider=data.provider,
        phone=data.phone,
        email=data.email,
        created_by=actor,
        updated_by=actor,
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.full_clean()
    user.save()
    audit_record(
        actor=actor,
        event="user.created",
        target=user,
        region_code=user.region_code,
        after=_masked(snapshot(user, ["username", *USER_FIELDS])),
    )
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, expected_version: int, data: UserData) -> User:
    """Change a user's details; fails with a clear error if someone changed them meanwhile."""
    _check_may_manage(actor, role=user.role, region=user.region)
    _check_may_manage(actor, role=data.role, region=data.region)
    _check_role_change(actor, user, data)
    _check_role_fits(data)
    before = snapshot(user, USER_FIELDS)
    user.full_name, user.role, user.region, user.provider = (
        data.full_name, data.role, data.region, data.provider,
    )
    user.phone, user.email = data.phone, data.email
    save_versioned(
        user,
        actor=actor,
        expected_version=expected_version,
        fields=["full_name", "role", "region", "provider", "phone", "email"],
    )
    old, new = changed_fields(user, before, USER_FIELDS)
    if new:
        audit_record(
            actor=actor, event="user.updated", target=user, region_code=user.region_code,
            before=_masked(old), after=_masked(new),
        )
    return user


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool, reason: str) -> User:
    _check_may_manage(actor, role=user.role, region=user.region)
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if user.is_active == active:
        return user
    user.is_active = active
    user.updated_by = actor
    user.version += 1
    user.save(update_fields=["is_active", "updated_by", "version", "updated_at"])
    audit_record(
        actor=actor,
        event="user.activated" if active else "user.deactivated",
        target=user,
        region_code=user.region_code,
        before={"is_active": not active},
        after={"is_active": active, "reason": reason},
    )
    return user


# --- Sign-in security --------------------------------------------------------------------


def _window_start() -> Any:
    return timezone.now() - timedelta(seconds=settings.SKILLPLAN_LOGIN_LOCK_SECONDS)


def login_is_locked(*, username: str, ip_address: str | None) -> bool:
    """Locked while the username has too many failures in the lock window, or while the IP
    has too many and the username has failed too.

    The IP limit never locks a username without failures of its own: offices share one public
    address (and the government network one exit), so one guesser must not lock everyone out
    there. From a noisy address each name gets one try instead of five, and the security
    administrator's unlock (which clears the username's failures) always lets the user in.
    """
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    own = recent.filter(username__iexact=username).count()
    if own >= settings.SKILLPLAN_LOGIN_MAX_FAILURES:
        return True
    return own > 0 and bool(ip_address) and (
        recent.filter(ip_address=ip_address).count()
        >= settings.SKILLPLAN_LOGIN_MAX_FAILURES_PER_IP
    )


@transaction.atomic
def login_failed(*, username: str, ip_address: str | None) -> None:
    LoginFailure.objects.create(username=username[:150], ip_address=ip_address)
    user = User.objects.filter(username__iexact=username).first()
    failures = LoginFailure.objects.filter(
        username__iexact=username, at__gte=_window_start()
    ).count()
    audit_record(
        actor=None,
        event="auth.login_failed",
        target=user,
        target_type="" if user else "accounts.user",
        target_repr="" if user else username[:200],
        region_code=user.region_code if user else "",
        after={"username": username[:150], "failures": failures},
        ip_address=ip_address,
    )
    if failures == settings.SKILLPLAN_LOGIN_MAX_FAILURES and user is not None:
        audit_record(
            actor=None, event="auth.locked", target=user, region_code=user.region_code,
            after={"minutes": settings.SKILLPLAN_LOGIN_LOCK_SECONDS // 60},
            ip_address=ip_address,
        )


@transaction.atomic
def login_succeeded(*, user: User, ip_address: str | None, second_factor: bool) -> None:
    LoginFailure.objects.filter(username__iexact=user.username).delete()
    audit_record(
        actor=user, event="auth.login", target=user, region_code=user.region_code,
        after={"two_factor": second_factor}, ip_address=ip_address,
    )


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> None:
    if not actor.has_perm(roles.UNLOCK_USERS):
        raise PermissionDenied
    removed, _ = LoginFailure.objects.filter(username__iexact=user.username).delete()
    audit_record(
        actor=actor, event="user.unlocked", target=user, region_code=user.region_code,
        after={"failures_cleared": removed},
    )


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    """Set a new password. Other sessions end: Django ties sessions to the password hash."""
    password_validation.validate_password(new_password, user)
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    audit_record(actor=user, event="auth.password_changed", target=user,
                 region_code=user.region_code)
    tokens.tokens_revoke_all(actor=user, user=user, reason="password_changed")


# --- Two-factor (TOTP, RFC 6238) --------------------------------------------------------


def totp_new_secret() -> str:
    """A fresh key for set-up. Nothing is saved: the current key (if any) stays in force
    until the new one is confirmed with a code (so opening the set-up page changes nothing)."""
    return pyotp.random_base32()


def totp_provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.username, issuer_name=settings.SKILLPLAN_TOTP_ISSUER
    )


def _matching_step(secret: str, code: str, last_step: int) -> int | None:
    """The time step (±1 for clock drift, after ``last_step``) whose code is ``code``."""
    code = "".join(ch for ch in str(code) if ch.isdigit())
    if not secret or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    step_now = int(timezone.now().timestamp()) // totp.interval
    for step in (step_now - 1, step_now, step_now + 1):
        if step > last_step and totp.at(step * totp.interval) == code:
            return step
    return None


def totp_verify(*, user: User, code: str) -> bool:
    """Check a 6-digit code against the user's key; a code is accepted only once."""
    step = _matching_step(user.totp_secret, code, user.totp_last_step)
    if step is None:
        return False
    updated = User.objects.filter(pk=user.pk, totp_last_step__lt=step).update(
        totp_last_step=step
    )
    if updated:
        user.totp_last_step = step
    return bool(updated)


@transaction.atomic
def totp_confirm_setup(*, user: User, secret: str, code: str, current_code: str = "") -> bool:
    """Switch to ``secret`` once the user proves their app has it. When two-factor sign-in is
    already on, ``current_code`` must also be right for the key in force (a session left open
    must not be enough to move the second factor to someone else's phone): ValidationError."""
    step = _matching_step(secret, code, 0)
    if step is None:
        return False
    replacing = user.two_factor_enabled
    if replacing and not totp_verify(user=user, code=current_code):
        raise ValidationError({"current_code": _(
            "The code for your current key is not right. Enter the code your app shows now "
            "for the key you use today."
        )})
    user.totp_secret = secret
    user.totp_confirmed_at = timezone.now()
    user.totp_last_step = step
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    audit_record(actor=user, event="auth.two_factor_replaced" if replacing
                 else "auth.two_factor_enabled", target=user, region_code=user.region_code)
    return True


@transaction.atomic
def two_factor_reset(*, actor: User, user: User, reason: str) -> None:
    if not actor.has_perm(roles.UNLOCK_USERS):
        raise PermissionDenied
    user.totp_secret = ""
    user.totp_confirmed_at = None
    user.totp_last_step = 0
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    audit_record(actor=actor, event="user.two_factor_reset", target=user,
                 region_code=user.region_code, after={"reason": reason})
    tokens.tokens_revoke_all(actor=actor, user=user, reason="two_factor_reset")
