"""Demo accounts for every role (README lists them). Password: Skillplan-Demo-2025."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from skillplan.accounts.models import User
from skillplan.accounts.roles import TWO_FACTOR_REQUIRED, Role
from skillplan.audit.services import audit_record
from skillplan.core.credit_code import make_credit_code
from skillplan.providers.models import Provider
from skillplan.regions.models import Region

DEMO_PASSWORD = "Skillplan-Demo-2025"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    region_code: str
    provider: str = ""


DEMO_PROVIDERS = {
    "sunshine": ("长沙市芙蓉区阳光职业技能培训学校", "430102", "91430102MA4L000001"),
    "xiangxi": ("湘西州民族工艺职业培训中心", "433101", "52433101MA4L000002"),
}

DEMO_ACCOUNTS = [
    DemoAccount("demo_province", "省残联 王敏", Role.PROVINCE, "43"),
    DemoAccount("demo_city_changsha", "长沙市残联 李强", Role.CITY, "4301"),
    DemoAccount("demo_county_furong", "芙蓉区残联 张丽", Role.COUNTY, "430102"),
    DemoAccount("demo_city_xiangxi", "湘西州残联 彭军", Role.CITY, "4331"),
    DemoAccount("demo_county_jishou", "吉首市残联 田芳", Role.COUNTY, "433101"),
    DemoAccount("demo_provider", "阳光培训学校 赵老师", Role.PROVIDER, "430102", "sunshine"),
    DemoAccount("demo_provider_xiangxi", "民族工艺中心 向老师", Role.PROVIDER, "433101", "xiangxi"),
    DemoAccount("demo_evaluator", "第三方评估 陈工", Role.EVALUATOR, "43"),
    DemoAccount("demo_partner", "人社厅 刘科长", Role.PARTNER, "43"),
    DemoAccount("demo_trainee", "学员 周小明", Role.TRAINEE, "430102"),
    DemoAccount("demo_sysadmin", "系统管理员", Role.SYSADMIN, "43"),
    DemoAccount("demo_secadmin", "安全管理员", Role.SECADMIN, "43"),
    DemoAccount("demo_auditor", "审计管理员", Role.AUDITOR, "43"),
]


def _provider(key: str) -> Provider:
    name, county, code = DEMO_PROVIDERS[key]
    credit_code = make_credit_code(code[:17])
    provider = Provider.objects.filter(credit_code=credit_code).first()
    if provider is None:
        provider = Provider(name=name, credit_code=credit_code,
                            region=Region.objects.get(code=county))
        provider.save()
        audit_record(actor=None, event="provider.created", target=provider,
                     region_code=provider.region_code, after={"name": name, "demo": True})
    return provider


@transaction.atomic
def seed_accounts() -> list[User]:
    """Create the demo accounts (idempotent: existing ones are left as they are)."""
    users = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User(
                username=account.username,
                full_name=account.full_name,
                role=account.role,
                region=Region.objects.get(code=account.region_code),
                provider=_provider(account.provider) if account.provider else None,
            )
            user.set_password(DEMO_PASSWORD)
            user.password_changed_at = timezone.now()
            if account.role in TWO_FACTOR_REQUIRED:
                user.totp_secret = DEMO_TOTP_SECRET
                user.totp_confirmed_at = timezone.now()
            user.save()
            audit_record(actor=None, event="user.created", target=user,
                         region_code=user.region_code,
                         after={"username": user.username, "role": user.role, "demo": True})
        users.append(user)
    return users
