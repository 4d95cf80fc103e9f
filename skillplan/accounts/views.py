"""Sign-in, own account, and user management. Thin: forms parse, services decide."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from skillplan.accounts import roles, selectors, services, tokens
from skillplan.accounts.forms import (
    LoginForm,
    PasswordChangeForm,
    ReasonForm,
    TokenForm,
    TotpForm,
    TotpReplaceForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)
from skillplan.accounts.middleware import LAST_ACTIVITY, TWO_FACTOR_SETUP_REQUIRED
from skillplan.accounts.models import User
from skillplan.accounts.selectors import UserFilters, token_list, user_get, user_get_for_change
from skillplan.audit.middleware import client_ip
from skillplan.audit.selectors import events_for_target
from skillplan.core.errors import ConcurrentUpdateError
from skillplan.core.forms import apply_validation_error
from skillplan.jobs.services import job_start

PENDING_USER = "skillplan_2fa_pending_user"
PENDING_NEXT = "skillplan_2fa_next"


def _safe_next(request: HttpRequest, default: str = "portal:workspace") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    from django.urls import reverse

    return reverse(default)


def _complete_login(request: HttpRequest, user: User, *, second_factor: bool) -> HttpResponse:
    target = request.session.pop(PENDING_NEXT, None) or _safe_next(request)
    login(request, user, backend="skillplan.accounts.backends.RoleBackend")
    import time

    request.session[LAST_ACTIVITY] = int(time.time())
    if user.two_factor_required and not user.two_factor_enabled:
        request.session[TWO_FACTOR_SETUP_REQUIRED] = True
    services.login_succeeded(user=user, ip_address=client_ip(request), second_factor=second_factor)
    if request.session.get(TWO_FACTOR_SETUP_REQUIRED):
        return redirect("accounts:two_factor_setup")
    return redirect(target)


@sensitive_post_parameters("password")
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = LoginForm(request.POST or None)
    locked_message = _(
        "Too many failed attempts: this account is locked for %(minutes)s minutes. "
        "Try again later or ask the security administrator to unlock it."
    ) % {"minutes": settings.SKILLPLAN_LOGIN_LOCK_SECONDS // 60}
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        ip = client_ip(request)
        if services.login_is_locked(username=username, ip_address=ip):
            form.add_error(None, locked_message)
        else:
            user = authenticate(
                request, username=username, password=form.cleaned_data["password"]
            )
            if user is None:
                services.login_failed(username=username, ip_address=ip)
                if services.login_is_locked(username=username, ip_address=ip):
                    form.add_error(None, locked_message)
                else:
                    form.add_error(None, _(
                        "The user name or password is not right. After %(count)s failed "
                        "attempts in a row the account is locked for %(minutes)s minutes."
                    ) % {"count": settings.SKILLPLAN_LOGIN_MAX_FAILURES,
                         "minutes": settings.SKILLPLAN_LOGIN_LOCK_SECONDS // 60})
            elif user.two_factor_enabled:
                request.session[PENDING_USER] = user.pk
                request.session[PENDING_NEXT] = _safe_next(request)
                return redirect("accounts:two_factor_verify")
            else:
                return _complete_login(request, user, second_factor=False)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "timed_out": request.GET.get("timeout") == "1",
         "next": request.GET.get("next", "")},
    )


@never_cache
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_USER)
    user = User.objects.filter(pk=pending, is_active=True).first() if pending else None
    if user is None:
        return redirect("accounts:login")
    form = TotpForm(request.POST or None)
    ip = client_ip(request)
    if request.method == "POST" and form.is_valid():
        if services.login_is_locked(username=user.username, ip_address=ip):
            form.add_error(None, _("Too many failed attempts: try again in %(minutes)s minutes.")
                           % {"minutes": settings.SKILLPLAN_LOGIN_LOCK_SECONDS // 60})
        elif services.totp_verify(user=user, code=form.cleaned_data["code"]):
            request.session.pop(PENDING_USER, None)
            return _complete_login(request, user, second_factor=True)
        else:
            services.login_failed(username=user.username, ip_address=ip)
            form.add_error("code", _("The code is not right or has expired. Enter the code "
                                     "your app shows now."))
    return render(request, "accounts/two_factor_verify.html", {"form": form})


TOTP_PENDING = "skillplan_totp_pending"


@login_required
@never_cache
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Show a new key and switch to it once confirmed. Opening the page changes nothing: the
    pending key lives in the session until a correct code is entered."""
    user: User = request.user  # type: ignore[assignment]
    secret = request.session.get(TOTP_PENDING) or services.totp_new_secret()
    request.session[TOTP_PENDING] = secret
    replacing = user.two_factor_enabled
    form = (TotpReplaceForm if replacing else TotpForm)(request.POST or None)
    ip = client_ip(request)
    if request.method == "POST" and form.is_valid():
        if replacing and services.login_is_locked(username=user.username, ip_address=ip):
            form.add_error(None, _("Too many failed attempts: try again in %(minutes)s minutes.")
                           % {"minutes": settings.SKILLPLAN_LOGIN_LOCK_SECONDS // 60})
            return _two_factor_setup_page(request, form, secret)
        try:
            confirmed = services.totp_confirm_setup(
                user=user, secret=secret, code=form.cleaned_data["code"],
                current_code=form.cleaned_data.get("current_code", ""),
            )
        except ValidationError as error:
            services.login_failed(username=user.username, ip_address=ip)
            apply_validation_error(form, error)
            return _two_factor_setup_page(request, form, secret)
        if confirmed:
            request.session.pop(TOTP_PENDING, None)
            request.session.pop(TWO_FACTOR_SETUP_REQUIRED, None)
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect("accounts:profile")
        form.add_error("code", _("The code is not right. Check the time on your phone "
                                 "and enter the code your app shows now."))
    return _two_factor_setup_page(request, form, secret)


def _two_factor_setup_page(request: HttpRequest, form: Any, secret: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "secret": secret,
            "qr_svg": tokens.qr_svg(services.totp_provisioning_uri(user, secret)),
            "required": request.session.get(TWO_FACTOR_SETUP_REQUIRED, False),
            "replacing": user.two_factor_enabled,
        },
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """Called by the idle-timeout dialog; the middleware has already renewed the session."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    return HttpResponse(status=204)


@sensitive_post_parameters()
@login_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(user=user, new_password=form.cleaned_data["new_password"])
        update_session_auth_hash(request, user)  # this session stays; all others end
        messages.success(request, _("Your password is changed. Other sessions were signed out."))
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/profile.html",
        {
            "tokens": token_list(user=request.user) if request.user.has_perm(roles.USE_API)
            else [],
            "token_form": TokenForm(),
            "new_token": request.session.pop("skillplan_new_token", None),
        },
    )


@login_required
@permission_required(roles.USE_API, raise_exception=True)
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if form.is_valid():
        raw = tokens.token_create(user=request.user, name=form.cleaned_data["name"])
        request.session["skillplan_new_token"] = raw
        messages.success(request, _("Token created. Copy it now: it is shown only once."))
    else:
        messages.error(request, _("Give the token a name."))
    return redirect("accounts:profile")


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    tokens.token_revoke(user=request.user, pk=pk)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:profile")


# --- User management ---------------------------------------------------------------------


def _filters_from(request: HttpRequest) -> tuple[UserFilterForm, UserFilters]:
    form = UserFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, UserFilters(
        q=data.get("q", ""), role=data.get("role", ""), active=data.get("active", "")
    )


@login_required
@permission_required(roles.VIEW_DIRECTORY, raise_exception=True)
def user_list(request: HttpRequest) -> HttpResponse:
    form, filters = _filters_from(request)
    users = selectors.user_list(user=request.user, filters=filters)  # type: ignore[arg-type]
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/user_list.html",
        {"filter_form": form, "page": page, "query": query.urlencode(),
         "can_manage": request.user.has_perm(roles.MANAGE_USERS)},
    )


@login_required
@permission_required(roles.VIEW_DIRECTORY, raise_exception=True)
@require_POST
def user_export(request: HttpRequest) -> HttpResponse:
    _form, filters = _filters_from(request)
    job = job_start(
        owner=request.user,
        kind="accounts.users_export",
        title=_("Export of users"),
        params={"q": filters.q, "role": filters.role, "active": filters.active},
    )
    return redirect("jobs:detail", pk=job.pk)


@login_required
@permission_required(roles.VIEW_DIRECTORY, raise_exception=True)
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = user_get(user=request.user, pk=pk)
    can_manage = services.user_may_manage(actor=request.user, user=target)  # type: ignore[arg-type]
    # The history holds contact details: only for who may change the account, or the auditor.
    show_history = can_manage or request.user.has_perm(roles.VIEW_AUDIT_LOG)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "history": events_for_target(target=target)[:50] if show_history else None,
            "can_manage": can_manage,
            "can_unlock": request.user.has_perm(roles.UNLOCK_USERS),
            "reason_form": ReasonForm(),
        },
    )


def _user_data(form: UserCreateForm | UserEditForm) -> services.UserData:
    data = form.cleaned_data
    return services.UserData(
        full_name=data["full_name"], role=data["role"], region=data["region"],
        provider=data.get("provider"), phone=data.get("phone", ""),
        email=data.get("email", ""),
    )


@login_required
@permission_required(roles.MANAGE_USERS, raise_exception=True)
def user_create_view(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.user_create(
                actor=request.user, username=form.cleaned_data["username"],
                password=form.cleaned_data["password"], data=_user_data(form),
            )
        except ValidationError as error:
            apply_validation_error(form, error, password_field="password")
        else:
            messages.success(request, _("User %(name)s created.") % {"name": created})
            return redirect("accounts:user_detail", pk=created.pk)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@login_required
@permission_required(roles.MANAGE_USERS, raise_exception=True)
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = user_get_for_change(user=request.user, pk=pk, permission=roles.MANAGE_USERS)
    initial = {
        "full_name": target.full_name, "role": target.role, "region": target.region,
        "provider": target.provider, "phone": target.phone, "email": target.email,
        "version": target.version,
    }
    form = UserEditForm(request.user, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(
                actor=request.user, user=target,
                expected_version=form.cleaned_data["version"], data=_user_data(form),
            )
        except ConcurrentUpdateError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied:
            form.add_error("region", _("Choose a region inside your own area."))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("accounts:user_detail", pk=target.pk)
    return render(
        request, "accounts/user_form.html", {"form": form, "target": target, "creating": False}
    )


@login_required
@permission_required(roles.MANAGE_USERS, raise_exception=True)
@require_POST
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    target = user_get_for_change(user=request.user, pk=pk, permission=roles.MANAGE_USERS)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason."))
        return redirect("accounts:user_detail", pk=pk)
    activate = request.POST.get("active") == "1"
    try:
        services.user_set_active(
            actor=request.user, user=target, active=activate, reason=form.cleaned_data["reason"]
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [_("Not allowed.")])))
    else:
        messages.success(request, _("Account activated.") if activate
                         else _("Account deactivated."))
    return redirect("accounts:user_detail", pk=pk)


@login_required
@permission_required(roles.UNLOCK_USERS, raise_exception=True)
@require_POST
def user_unlock_view(request: HttpRequest, pk: int) -> HttpResponse:
    target = user_get_for_change(user=request.user, pk=pk, permission=roles.UNLOCK_USERS)
    services.user_unlock(actor=request.user, user=target)
    messages.success(request, _("Account unlocked."))
    return redirect("accounts:user_detail", pk=pk)


@login_required
@permission_required(roles.UNLOCK_USERS, raise_exception=True)
@require_POST
def user_reset_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    target = user_get_for_change(user=request.user, pk=pk, permission=roles.UNLOCK_USERS)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason."))
    else:
        services.two_factor_reset(actor=request.user, user=target,
                                  reason=form.cleaned_data["reason"])
        messages.success(request, _("Two-factor sign-in reset; the user sets it up again at "
                                    "the next sign-in."))
    return redirect("accounts:user_detail", pk=pk)
