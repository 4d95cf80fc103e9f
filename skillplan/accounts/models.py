"""Users (staff and trainees), failed sign-in records, and API tokens."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.accounts.roles import TWO_FACTOR_REQUIRED, Role
from skillplan.accounts.scoping import ScopeFields
from skillplan.core.models import TrackedModel


class SkillplanUserManager(UserManager["User"]):
    def create_superuser(self, username, email=None, password=None, **extra_fields):  # type: ignore[no-untyped-def,override]
        extra_fields.setdefault("role", Role.SYSADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(TrackedModel, AbstractUser):
    """A person who signs in. Staff hold a region (and provider staff a provider)."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.TRAINEE)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    provider = models.ForeignKey(
        "providers.Provider",
        verbose_name=_("training provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    totp_secret = models.CharField(max_length=64, blank=True, editable=False)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    totp_last_step = models.BigIntegerField(default=0, editable=False)
    password_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SkillplanUserManager()

    scope_fields = ScopeFields(region="region__code", provider="provider_id", owner="id")

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name

    def has_perm(self, perm: str, obj: object = None) -> bool:
        """From the role only (``RoleBackend``): unlike Django's default, ``is_superuser`` gives
        no permission, so a superuser cannot reveal personal data or read the audit trail unless
        their role may. ``is_staff`` alone opens the admin site."""
        from django.contrib.auth import get_backends

        return self.is_active and any(
            backend.has_perm(self, perm, obj)
            for backend in get_backends()
            if hasattr(backend, "has_perm")
        )

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def two_factor_required(self) -> bool:
        return self.role in TWO_FACTOR_REQUIRED

    @property
    def two_factor_enabled(self) -> bool:
        return bool(self.totp_secret and self.totp_confirmed_at)

    @property
    def region_code(self) -> str:
        return self.region.code if self.region_id else ""


class LoginFailure(models.Model):
    """One failed sign-in. Counted per username and per IP address to lock out guessing."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")

    def __str__(self) -> str:
        return f"{self.username} @ {self.ip_address} {self.at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("token name"), max_length=80)
    prefix = models.CharField(max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    scope_fields = ScopeFields(owner="user_id")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()
