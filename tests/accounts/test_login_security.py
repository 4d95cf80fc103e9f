"""Sign-in security: lockout after five failures, one message for unknown user and wrong
password, per-IP limits, two-factor, idle timeout, and password change ending other sessions."""

from __future__ import annotations

import time

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from skillplan.accounts.demo import DEMO_TOTP_SECRET
from skillplan.accounts.middleware import LAST_ACTIVITY
from skillplan.accounts.models import ApiToken, LoginFailure, User
from skillplan.accounts.tokens import token_create, token_user
from skillplan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def post_login(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def error_text(response) -> str:
    return " ".join(str(e) for e in response.context["form"].non_field_errors())


def test_county_clerk_signs_in_with_password(client, demo_password):
    response = post_login(client, "demo_county_furong", demo_password)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:workspace")
    assert client.get(reverse("portal:workspace")).status_code == 200
    assert AuditEvent.objects.filter(event="auth.login", actor_username="demo_county_furong")


def test_unknown_user_and_wrong_password_get_the_same_message(client):
    wrong_password = post_login(client, "demo_county_furong", "not-the-password-123")
    unknown_user = post_login(Client(), "nobody_at_all", "not-the-password-123")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert error_text(wrong_password) == error_text(unknown_user)
    assert error_text(wrong_password)


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(client, demo_password, settings):
    for _ in range(5):
        post_login(client, "demo_county_furong", "wrong-password-xyz")
    locked = post_login(client, "demo_county_furong", demo_password)
    assert locked.status_code == 200, "the right password must not get in while locked"
    assert "15" in error_text(locked)
    assert "_auth_user_id" not in client.session
    furong = User.objects.get(username="demo_county_furong")
    assert AuditEvent.objects.filter(event="auth.locked", target_id=str(furong.pk)).exists()
    # After the lock window the right password works again.
    LoginFailure.objects.update(at=LoginFailure.objects.first().at.replace(year=2000))
    assert post_login(Client(), "demo_county_furong", demo_password).status_code == 302


def test_lock_applies_to_unknown_user_names_too_so_names_cannot_be_probed(client):
    for _ in range(5):
        post_login(client, "ghost_user", "wrong-password-xyz")
    probe = post_login(client, "ghost_user", "wrong-password-xyz")
    for _ in range(5):
        post_login(client, "demo_county_jishou", "wrong-password-xyz")
    real = post_login(client, "demo_county_jishou", "wrong-password-xyz")
    assert error_text(probe) == error_text(real)


def test_four_failures_then_success_clears_the_counter(client, demo_password):
    for _ in range(4):
        post_login(client, "demo_county_furong", "wrong-password-xyz")
    assert post_login(client, "demo_county_furong", demo_password).status_code == 302
    assert not LoginFailure.objects.filter(username="demo_county_furong").exists()


def test_one_ip_guessing_many_accounts_gets_one_try_per_name(client, demo_password, settings):
    settings.SKILLPLAN_LOGIN_MAX_FAILURES_PER_IP = 6
    post_login(client, "demo_county_furong", "wrong-password-xyz", ip="10.9.9.9")
    for number in range(5):
        post_login(client, f"guess{number}", "wrong-password-xyz", ip="10.9.9.9")
    blocked = post_login(client, "demo_county_furong", demo_password, ip="10.9.9.9")
    assert "_auth_user_id" not in client.session and blocked.status_code == 200
    elsewhere = post_login(Client(), "demo_county_furong", demo_password, ip="10.1.1.1")
    assert elsewhere.status_code == 302


def test_failures_from_a_shared_address_do_not_lock_out_users_without_failures(
    client, demo_password, settings
):
    """An office (or the proxy) shares one address: a guesser there must not lock everyone."""
    settings.SKILLPLAN_LOGIN_MAX_FAILURES_PER_IP = 6
    for number in range(10):
        post_login(Client(), f"guess{number}", "wrong-password-xyz", ip="10.9.9.9")
    colleague = post_login(client, "demo_county_jishou", demo_password, ip="10.9.9.9")
    assert colleague.status_code == 302


def test_unlock_lets_a_user_in_from_a_noisy_address(client_for, demo_password, settings, persona):
    settings.SKILLPLAN_LOGIN_MAX_FAILURES_PER_IP = 6
    post_login(Client(), "demo_county_furong", "wrong-password-xyz", ip="10.9.9.9")
    for number in range(6):
        post_login(Client(), f"guess{number}", "wrong-password-xyz", ip="10.9.9.9")
    noisy = "10.9.9.9"
    assert post_login(Client(), "demo_county_furong", demo_password, ip=noisy).status_code == 200
    target = persona("demo_county_furong")
    client_for("demo_secadmin").post(reverse("accounts:user_unlock", args=[target.pk]))
    assert post_login(Client(), "demo_county_furong", demo_password, ip=noisy).status_code == 302


# --- Client address behind the proxy -------------------------------------------------------


def _failure_behind_proxy(forwarded: str) -> tuple[str | None, str | None]:
    Client().post(LOGIN, {"username": "ghost_user", "password": "wrong-password-xyz"},
                  REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR=forwarded)
    event = AuditEvent.objects.filter(event="auth.login_failed").order_by("-seq").first()
    return LoginFailure.objects.get(username="ghost_user").ip_address, event.ip_address


def test_behind_one_proxy_the_client_is_the_rightmost_forwarded_address(settings):
    settings.SKILLPLAN_TRUSTED_PROXIES = 1
    assert _failure_behind_proxy("198.51.100.9, 203.0.113.5") == ("203.0.113.5", "203.0.113.5")


def test_behind_two_proxies_the_client_is_the_second_from_the_right(settings):
    settings.SKILLPLAN_TRUSTED_PROXIES = 2
    assert _failure_behind_proxy("1.2.3.4, 203.0.113.5, 10.0.0.9") == (
        "203.0.113.5", "203.0.113.5"
    )


@pytest.mark.parametrize("forwarded", ["not-an-ip", "203.0.113.5, <script>", "", "1.2.3.4.5"])
def test_a_forwarded_value_that_is_no_address_falls_back_to_the_proxy(settings, forwarded):
    settings.SKILLPLAN_TRUSTED_PROXIES = 1
    assert _failure_behind_proxy(forwarded) == ("10.0.0.254", "10.0.0.254")


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.SKILLPLAN_TRUSTED_PROXIES = 0
    assert _failure_behind_proxy("203.0.113.5") == ("10.0.0.254", "10.0.0.254")


def test_security_admin_unlocks_a_locked_account(client_for, demo_password, persona):
    for _ in range(5):
        post_login(Client(), "demo_county_furong", "wrong-password-xyz")
    target = persona("demo_county_furong")
    response = client_for("demo_secadmin").post(reverse("accounts:user_unlock", args=[target.pk]))
    assert response.status_code == 302
    assert post_login(Client(), "demo_county_furong", demo_password).status_code == 302


def test_city_clerk_cannot_unlock_accounts(client_for, persona):
    for _ in range(5):
        post_login(Client(), "demo_county_furong", "wrong-password-xyz")
    target = persona("demo_county_furong")
    response = client_for("demo_city_changsha").post(
        reverse("accounts:user_unlock", args=[target.pk])
    )
    assert response.status_code == 403
    assert LoginFailure.objects.filter(username="demo_county_furong").count() == 5


# --- Two-factor ---------------------------------------------------------------------------


def test_province_staff_need_the_totp_code_after_the_password(client, demo_password):
    response = post_login(client, "demo_province", demo_password)
    assert response["Location"] == reverse("accounts:two_factor_verify")
    assert "_auth_user_id" not in client.session, "not signed in before the second factor"
    wrong = client.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    code = pyotp.TOTP(DEMO_TOTP_SECRET).now()
    right = client.post(reverse("accounts:two_factor_verify"), {"code": code})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="demo_province").pk)


def test_a_totp_code_cannot_be_replayed(client, demo_password):
    code = pyotp.TOTP(DEMO_TOTP_SECRET).now()
    post_login(client, "demo_auditor", demo_password)
    assert client.post(reverse("accounts:two_factor_verify"), {"code": code}).status_code == 302
    other = Client()
    post_login(other, "demo_auditor", demo_password)
    replay = other.post(reverse("accounts:two_factor_verify"), {"code": code})
    assert replay.status_code == 200 and "_auth_user_id" not in other.session


def test_province_staff_without_totp_must_set_it_up_before_anything_else(client, demo_password):
    User.objects.filter(username="demo_province").update(totp_secret="", totp_confirmed_at=None)
    response = post_login(client, "demo_province", demo_password)
    assert response["Location"] == reverse("accounts:two_factor_setup")
    assert client.get(reverse("accounts:user_list"))["Location"] == reverse(
        "accounts:two_factor_setup"
    )
    setup_page = client.get(reverse("accounts:two_factor_setup"))
    assert setup_page.status_code == 200 and b"<svg" in setup_page.content
    secret = setup_page.context["secret"]
    done = client.post(
        reverse("accounts:two_factor_setup"), {"code": pyotp.TOTP(secret).now()}
    )
    assert done.status_code == 302
    assert client.get(reverse("accounts:user_list")).status_code == 200


def test_county_staff_may_sign_in_without_totp(client, demo_password):
    assert post_login(client, "demo_county_furong", demo_password)["Location"] == reverse(
        "portal:workspace"
    )


# --- Sessions ------------------------------------------------------------------------------


def test_idle_session_ends_after_thirty_minutes(client_for, settings):
    assert settings.SKILLPLAN_IDLE_TIMEOUT == 30 * 60
    client = client_for("demo_county_furong")
    session = client.session
    session[LAST_ACTIVITY] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_activity_within_thirty_minutes_keeps_the_session(client_for):
    client = client_for("demo_county_furong")
    session = client.session
    session[LAST_ACTIVITY] = int(time.time()) - 29 * 60
    session.save()
    assert client.get(reverse("accounts:user_list")).status_code == 200
    assert client.session[LAST_ACTIVITY] >= int(time.time()) - 5


def test_background_polling_does_not_count_as_activity(client_for):
    client = client_for("demo_county_furong")
    session = client.session
    stale = int(time.time()) - 10 * 60
    session[LAST_ACTIVITY] = stale
    session.save()
    client.get(reverse("portal:workspace"), HTTP_X_SKILLPLAN_BACKGROUND="1")
    assert client.session[LAST_ACTIVITY] == stale


def test_keep_alive_button_extends_the_session(client_for):
    client = client_for("demo_county_furong")
    session = client.session
    session[LAST_ACTIVITY] = int(time.time()) - 28 * 60
    session.save()
    assert client.post(reverse("accounts:keep_alive")).status_code == 204
    assert client.session[LAST_ACTIVITY] >= int(time.time()) - 5


def test_pages_carry_the_idle_warning_timings(client_for):
    page = client_for("demo_county_furong").get(reverse("portal:workspace")).content.decode()
    assert 'data-idle-timeout="1800"' in page and 'id="idle-dialog"' in page


def test_password_change_ends_other_sessions_but_keeps_this_one(client, demo_password):
    post_login(client, "demo_county_furong", demo_password)
    other_device = Client()
    post_login(other_device, "demo_county_furong", demo_password)
    assert other_device.get(reverse("accounts:profile")).status_code == 200
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": demo_password, "new_password": "Changsha-River-2026!",
         "new_password_again": "Changsha-River-2026!"},
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert other_device.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.parametrize(
    ("password", "reason"),
    [("Short-1a", "too short"), ("password12345", "common"), ("123456789012345", "digits")],
)
def test_weak_passwords_are_refused(client_for, demo_password, password, reason):
    client = client_for("demo_county_furong")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": demo_password, "new_password": password, "new_password_again": password},
    )
    assert response.status_code == 200, reason
    assert response.context["form"].errors["new_password"]
    assert User.objects.get(username="demo_county_furong").check_password(demo_password)


def test_opening_the_setup_page_keeps_the_current_key(client_for):
    """A page that merely loads the set-up URL (an <img>, a link) cannot turn 2FA off."""
    client = client_for("demo_auditor")
    client.get(reverse("accounts:two_factor_setup"))
    auditor = User.objects.get(username="demo_auditor")
    assert auditor.two_factor_enabled and auditor.totp_secret == DEMO_TOTP_SECRET


def test_a_new_key_replaces_the_old_one_only_after_a_correct_code(client_for):
    client = client_for("demo_auditor")
    secret = client.get(reverse("accounts:two_factor_setup")).context["secret"]
    current = pyotp.TOTP(DEMO_TOTP_SECRET).now()
    client.post(reverse("accounts:two_factor_setup"), {"code": "000000", "current_code": current})
    assert User.objects.get(username="demo_auditor").totp_secret == DEMO_TOTP_SECRET
    client.post(reverse("accounts:two_factor_setup"),
                {"code": pyotp.TOTP(secret).now(), "current_code": current})
    assert User.objects.get(username="demo_auditor").totp_secret == secret
    assert AuditEvent.objects.filter(event="auth.two_factor_replaced").exists()


@pytest.mark.parametrize("current_code", ["", "000000"])
def test_an_open_session_cannot_replace_two_factor_without_the_current_code(
    client_for, current_code
):
    client = client_for("demo_auditor")
    page = client.get(reverse("accounts:two_factor_setup"))
    assert 'name="current_code"' in page.content.decode()
    new_code = pyotp.TOTP(page.context["secret"]).now()
    response = client.post(reverse("accounts:two_factor_setup"),
                           {"code": new_code, "current_code": current_code})
    assert response.status_code == 200
    assert response.context["form"].errors["current_code"]
    auditor = User.objects.get(username="demo_auditor")
    assert auditor.totp_secret == DEMO_TOTP_SECRET
    assert not AuditEvent.objects.filter(event="auth.two_factor_replaced").exists()


def test_two_factor_lock_message_names_the_configured_lock_time(client, demo_password, settings):
    settings.SKILLPLAN_LOGIN_LOCK_SECONDS = 10 * 60
    post_login(client, "demo_province", demo_password)
    for _ in range(5):
        client.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
    locked = client.post(reverse("accounts:two_factor_verify"),
                         {"code": pyotp.TOTP(DEMO_TOTP_SECRET).now()})
    assert "_auth_user_id" not in client.session
    assert "10" in error_text(locked) and "15" not in error_text(locked)


# --- API tokens end with the credentials ------------------------------------------------------


def test_password_change_revokes_the_users_api_tokens(client, demo_password):
    furong = User.objects.get(username="demo_county_furong")
    raw = token_create(user=furong, name="reporting")
    post_login(client, "demo_county_furong", demo_password)
    client.post(reverse("accounts:password_change"),
                {"old_password": demo_password, "new_password": "Changsha-River-2026!",
                 "new_password_again": "Changsha-River-2026!"})
    assert token_user(raw) is None
    assert not ApiToken.objects.filter(user=furong, revoked_at__isnull=True).exists()
    event = AuditEvent.objects.get(event="api_token.revoked_all", target_id=str(furong.pk))
    assert event.after["count"] == 1 and event.after["reason"] == "password_changed"


def test_refused_password_change_keeps_the_api_tokens(client_for, demo_password):
    furong = User.objects.get(username="demo_county_furong")
    raw = token_create(user=furong, name="reporting")
    client_for("demo_county_furong").post(
        reverse("accounts:password_change"),
        {"old_password": "not-the-password", "new_password": "Changsha-River-2026!",
         "new_password_again": "Changsha-River-2026!"},
    )
    assert token_user(raw) == furong


def test_two_factor_reset_revokes_the_users_api_tokens(client_for):
    province = User.objects.get(username="demo_province")
    raw = token_create(user=province, name="reporting")
    client_for("demo_secadmin").post(reverse("accounts:user_reset_2fa", args=[province.pk]),
                                     {"reason": "phone lost"})
    assert token_user(raw) is None
    event = AuditEvent.objects.get(event="api_token.revoked_all", target_id=str(province.pk))
    assert event.actor_username == "demo_secadmin"
    assert event.after["reason"] == "two_factor_reset"
