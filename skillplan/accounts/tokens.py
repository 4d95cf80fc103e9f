"""Personal API tokens and QR codes (two-factor set-up)."""

from __future__ import annotations

import secrets
from typing import Any

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from skillplan.accounts.models import ApiToken, User
from skillplan.audit.services import audit_record

TOKEN_PREFIX = "sp_"


@transaction.atomic
def token_create(*, user: Any, name: str) -> str:
    """Create a token and return it; only its hash is kept."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:8], digest=ApiToken.digest_of(raw)
    )
    audit_record(actor=user, event="api_token.created", target=token,
                 region_code=user.region_code, after={"name": name, "prefix": token.prefix})
    return raw


@transaction.atomic
def token_revoke(*, user: Any, pk: int) -> None:
    token = ApiToken.objects.filter(user=user, pk=pk, revoked_at__isnull=True).first()
    if token is None:
        raise Http404
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=user, event="api_token.revoked", target=token,
                 region_code=user.region_code)


@transaction.atomic
def tokens_revoke_all(*, actor: Any, user: User, reason: str) -> int:
    """Revoke every active token of ``user`` (after a password change or a two-factor reset:
    a token made by whoever held the old credentials must not outlive them)."""
    active = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    prefixes = sorted(active.values_list("prefix", flat=True))
    if not prefixes:
        return 0
    ApiToken.objects.filter(user=user, prefix__in=prefixes, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    audit_record(actor=actor, event="api_token.revoked_all", target=user,
                 region_code=user.region_code,
                 after={"count": len(prefixes), "prefixes": prefixes, "reason": reason})
    return len(prefixes)


def token_user(raw: str) -> User | None:
    """The active user a bearer token belongs to, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "user__region")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def qr_svg(data: str) -> str:
    """An inline SVG QR code (no external service, no image file)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")
