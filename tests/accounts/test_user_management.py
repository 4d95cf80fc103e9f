"""Managing users: who may create and change whom, optimistic locking, and the audit trail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from skillplan.accounts.models import User
from skillplan.audit.models import AuditEvent
from skillplan.regions.models import Region

pytestmark = pytest.mark.django_db


def new_user_form(region: Region, **extra) -> dict:
    data = {
        "username": "new_clerk",
        "password": "Xiangjiang-Bridge-77",
        "full_name": "新 职员",
        "role": "county",
        "region": region.pk,
        "phone": "0731-84561234",
        "email": "",
    }
    data.update(extra)
    return data


def test_city_clerk_creates_a_county_clerk_in_their_city(client_for):
    furong = Region.objects.get(code="430102")
    response = client_for("demo_city_changsha").post(
        reverse("accounts:user_create"), new_user_form(furong)
    )
    assert response.status_code == 302
    created = User.objects.get(username="new_clerk")
    assert created.region == furong and created.role == "county"
    assert created.check_password("Xiangjiang-Bridge-77")
    event = AuditEvent.objects.get(event="user.created", target_id=str(created.pk))
    assert event.actor_username == "demo_city_changsha"
    assert event.after["role"] == "county"
    assert "password" not in str(event.after)


def test_city_clerk_cannot_create_a_user_in_another_city(client_for):
    jishou = Region.objects.get(code="433101")
    response = client_for("demo_city_changsha").post(
        reverse("accounts:user_create"), new_user_form(jishou)
    )
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert not User.objects.filter(username="new_clerk").exists()


def test_city_clerk_cannot_create_province_staff(client_for):
    province = Region.objects.get(code="43")
    response = client_for("demo_city_changsha").post(
        reverse("accounts:user_create"), new_user_form(province, role="province")
    )
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(username="new_clerk").exists()


def test_county_clerk_cannot_manage_users(client_for):
    furong = Region.objects.get(code="430102")
    client = client_for("demo_county_furong")
    assert client.get(reverse("accounts:user_create")).status_code == 403
    assert client.post(reverse("accounts:user_create"), new_user_form(furong)).status_code == 403
    assert not User.objects.filter(username="new_clerk").exists()


def test_role_must_fit_the_region_level(client_for):
    changsha = Region.objects.get(code="4301")
    response = client_for("demo_province").post(
        reverse("accounts:user_create"), new_user_form(changsha, role="county")
    )
    assert response.status_code == 200
    assert "region" in response.context["form"].errors


def test_weak_first_password_is_refused_with_a_reason(client_for):
    furong = Region.objects.get(code="430102")
    response = client_for("demo_city_changsha").post(
        reverse("accounts:user_create"), new_user_form(furong, password="password1234")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not User.objects.filter(username="new_clerk").exists()


def test_edit_saves_and_records_before_and_after(client_for, persona):
    target = persona("demo_county_furong")
    response = client_for("demo_city_changsha").post(
        reverse("accounts:user_edit", args=[target.pk]),
        {"full_name": "芙蓉区残联 张丽华", "role": "county", "region": target.region.pk,
         "phone": "13812341234", "email": "", "version": target.version},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.full_name == "芙蓉区残联 张丽华" and target.version == 2
    event = AuditEvent.objects.get(event="user.updated", target_id=str(target.pk))
    assert event.before["full_name"] == "芙蓉区残联 张丽"
    assert event.after["full_name"] == "芙蓉区残联 张丽华"


def test_stale_edit_is_refused_and_keeps_the_users_input(client_for, persona):
    target = persona("demo_county_furong")
    stale_version = target.version
    User.objects.filter(pk=target.pk).update(full_name="别人改过", version=stale_version + 1)
    response = client_for("demo_city_changsha").post(
        reverse("accounts:user_edit", args=[target.pk]),
        {"full_name": "我的修改", "role": "county", "region": target.region.pk,
         "phone": "", "email": "", "version": stale_version},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors()
    assert 'value="我的修改"' in response.content.decode()
    target.refresh_from_db()
    assert target.full_name == "别人改过"


def test_city_clerk_cannot_open_or_edit_a_user_of_another_city(client_for, persona):
    jishou = persona("demo_county_jishou")
    client = client_for("demo_city_changsha")
    assert client.get(reverse("accounts:user_detail", args=[jishou.pk])).status_code == 404
    response = client.post(
        reverse("accounts:user_edit", args=[jishou.pk]),
        {"full_name": "x", "role": "county", "region": jishou.region.pk, "version": 1},
    )
    assert response.status_code == 404
    jishou.refresh_from_db()
    assert jishou.full_name == "吉首市残联 田芳"


def test_out_of_scope_and_missing_users_look_the_same(client_for, persona):
    client = client_for("demo_county_furong")
    outside = client.get(reverse("accounts:user_detail", args=[persona("demo_county_jishou").pk]))
    missing = client.get(reverse("accounts:user_detail", args=[999999]))
    assert outside.status_code == missing.status_code == 404


def test_deactivate_needs_a_reason_and_blocks_sign_in(client_for, persona, client, demo_password):
    target = persona("demo_county_furong")
    manager = client_for("demo_city_changsha")
    url = reverse("accounts:user_active", args=[target.pk])
    manager.post(url, {"active": "0", "reason": ""})
    target.refresh_from_db()
    assert target.is_active
    manager.post(url, {"active": "0", "reason": "调岗"})
    target.refresh_from_db()
    assert not target.is_active
    login = client.post(reverse("accounts:login"),
                        {"username": "demo_county_furong", "password": demo_password})
    assert login.status_code == 200 and "_auth_user_id" not in client.session
    assert AuditEvent.objects.get(event="user.deactivated").after["reason"] == "调岗"


def test_user_list_shows_only_users_in_scope(client_for):
    page = client_for("demo_county_furong").get(reverse("accounts:user_list"))
    names = {user.username for user in page.context["page"]}
    assert "demo_county_furong" in names and "demo_provider" in names
    assert "demo_county_jishou" not in names and "demo_city_changsha" not in names
    city = client_for("demo_city_changsha").get(reverse("accounts:user_list"))
    city_names = {user.username for user in city.context["page"]}
    assert {"demo_city_changsha", "demo_county_furong", "demo_provider"} <= city_names
    assert not city_names & {"demo_city_xiangxi", "demo_county_jishou", "demo_province"}


def test_user_list_filters_by_role_and_name(client_for):
    client = client_for("demo_province")
    by_role = client.get(reverse("accounts:user_list"), {"role": "county"})
    assert {u.username for u in by_role.context["page"]} == {
        "demo_county_furong", "demo_county_jishou"
    }
    by_name = client.get(reverse("accounts:user_list"), {"q": "湘西"})
    assert {u.username for u in by_name.context["page"]} == {"demo_city_xiangxi"}


def test_security_admin_resets_two_factor_with_a_reason(client_for, persona):
    target = persona("demo_province")
    response = client_for("demo_secadmin").post(
        reverse("accounts:user_reset_2fa", args=[target.pk]), {"reason": "换手机"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.two_factor_enabled
    assert AuditEvent.objects.get(event="user.two_factor_reset").actor_username == "demo_secadmin"


def test_api_token_is_shown_once_and_stored_hashed(client_for, persona):
    client = client_for("demo_county_furong")
    client.post(reverse("accounts:token_create"), {"name": "县区数据对接"})
    page = client.get(reverse("accounts:profile")).content.decode()
    token = persona("demo_county_furong").api_tokens.get()
    assert "sp_" in page
    again = client.get(reverse("accounts:profile")).content.decode()
    raw = page.split("<code>")[1].split("</code>")[0]
    assert raw not in again and token.digest != raw and len(token.digest) == 64
