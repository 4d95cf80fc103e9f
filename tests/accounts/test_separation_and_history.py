"""三员分立 (separation of the administrators' duties), superusers without extra rights, and
who reads an account's change history (with the phone number masked)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from skillplan.accounts import roles
from skillplan.accounts.models import User
from skillplan.audit.models import AuditEvent
from skillplan.regions.models import Region

pytestmark = pytest.mark.django_db


def edit(client: Client, target: User, **changes) -> object:
    data = {"full_name": target.full_name, "role": target.role, "region": target.region.pk,
            "phone": target.phone, "email": target.email, "version": target.version}
    data.update(changes)
    return client.post(reverse("accounts:user_edit", args=[target.pk]), data)


# --- Separation of duties -------------------------------------------------------------------


@pytest.mark.parametrize("role", [roles.Role.AUDITOR, roles.Role.SECADMIN, roles.Role.PROVINCE])
def test_system_administrator_cannot_change_their_own_role(client_for, persona, role):
    sysadmin = persona("demo_sysadmin")
    response = edit(client_for("demo_sysadmin"), sysadmin, role=role)
    assert response.status_code == 200
    assert response.context["form"].errors["role"]
    sysadmin.refresh_from_db()
    assert sysadmin.role == roles.Role.SYSADMIN and sysadmin.version == 1
    assert not AuditEvent.objects.filter(event="user.updated", target_id=str(sysadmin.pk))


def test_city_clerk_cannot_move_themselves_to_another_region(client_for, persona):
    clerk = persona("demo_city_changsha")
    furong = Region.objects.get(code="430102")
    response = edit(client_for("demo_city_changsha"), clerk, role="county", region=furong.pk)
    assert response.status_code == 200
    assert response.context["form"].errors["region"]
    clerk.refresh_from_db()
    assert clerk.role == roles.Role.CITY and clerk.region.code == "4301"


def test_own_name_and_phone_may_still_be_changed(client_for, persona):
    sysadmin = persona("demo_sysadmin")
    response = edit(client_for("demo_sysadmin"), sysadmin, full_name="系统管理员 甲")
    assert response.status_code == 302
    sysadmin.refresh_from_db()
    assert sysadmin.full_name == "系统管理员 甲"


@pytest.mark.parametrize("username", ["demo_auditor", "demo_secadmin"])
def test_system_administrator_cannot_change_an_auditor_or_security_admin_role(
    client_for, persona, username
):
    target = persona(username)
    response = edit(client_for("demo_sysadmin"), target, role=roles.Role.SYSADMIN)
    assert response.status_code == 200
    assert response.context["form"].errors["role"]
    target.refresh_from_db()
    assert target.role == username.removeprefix("demo_") and target.version == 1


def test_system_administrator_creates_an_audit_administrator(client_for):
    province = Region.objects.get(code="43")
    response = client_for("demo_sysadmin").post(reverse("accounts:user_create"), {
        "username": "new_auditor", "password": "Xiangjiang-Bridge-77", "full_name": "审计 乙",
        "role": "auditor", "region": province.pk, "phone": "", "email": "",
    })
    assert response.status_code == 302
    assert User.objects.get(username="new_auditor").role == roles.Role.AUDITOR


def test_province_staff_cannot_give_administrator_roles(client_for):
    province = Region.objects.get(code="43")
    response = client_for("demo_province").post(reverse("accounts:user_create"), {
        "username": "new_auditor", "password": "Xiangjiang-Bridge-77", "full_name": "审计 乙",
        "role": "auditor", "region": province.pk, "phone": "", "email": "",
    })
    assert response.status_code == 200
    assert not User.objects.filter(username="new_auditor").exists()


def test_superuser_has_only_their_roles_permissions_but_opens_the_admin_site():
    root = User.objects.create_superuser(
        "root_support", password="Xiangjiang-Bridge-77", region=Region.objects.get(code="43")
    )
    assert root.role == roles.Role.SYSADMIN
    for permission in (roles.REVEAL_PERSONAL_DATA, roles.VIEW_AUDIT_LOG, roles.UNLOCK_USERS,
                       roles.VIEW_PERSON, roles.REACH_PROVINCE.replace("province", "own")):
        assert not root.has_perm(permission), permission
    assert root.has_perm(roles.MANAGE_USERS)
    client = Client()
    client.force_login(root)
    assert client.get(reverse("audit:list")).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 200


# --- Change history of an account ------------------------------------------------------------


def test_user_created_and_updated_events_keep_the_phone_masked(client_for, persona):
    target = persona("demo_county_furong")
    edit(client_for("demo_city_changsha"), target, phone="13812341234")
    event = AuditEvent.objects.get(event="user.updated", target_id=str(target.pk))
    assert event.after["phone"] == "138****1234"
    furong = Region.objects.get(code="430102")
    client_for("demo_city_changsha").post(reverse("accounts:user_create"), {
        "username": "new_clerk", "password": "Xiangjiang-Bridge-77", "full_name": "新 职员",
        "role": "county", "region": furong.pk, "phone": "13912345678", "email": "",
    })
    created = AuditEvent.objects.get(event="user.created", target_repr="新 职员")
    assert created.after["phone"] == "139****5678"
    assert "13912345678" not in str(created.after)


def test_county_clerk_sees_a_users_details_but_not_their_history(client_for, persona):
    target = persona("demo_county_furong")
    edit(client_for("demo_city_changsha"), target, phone="13812341234")
    response = client_for("demo_county_furong").get(
        reverse("accounts:user_detail", args=[persona("demo_trainee").pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["history"] is None
    assert "<caption>" not in html
    own = client_for("demo_county_furong").get(reverse("accounts:user_detail", args=[target.pk]))
    assert own.context["history"] is None and "138****1234" not in own.content.decode()


def test_city_clerk_who_manages_the_user_reads_the_history_in_words(client_for, persona):
    target = persona("demo_county_furong")
    client = client_for("demo_city_changsha")
    edit(client, target, phone="13812341234", full_name="芙蓉区残联 张丽华")
    html = client.get(reverse("accounts:user_detail", args=[target.pk])).content.decode()
    assert "138****1234" in html and "13812341234" not in html
    assert "修改了账户信息" in html and "user.updated" not in html
    assert "姓名: 芙蓉区残联 张丽 → 芙蓉区残联 张丽华" in html
