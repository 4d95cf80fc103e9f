"""Fixtures of the provider and base tests: the 芙蓉区 provider of ``demo_provider`` taken
through the base lifecycle by the right people, and a second province clerk (maker-checker)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation
from pytest_django.fixtures import Settings

from skillplan.accounts.models import User
from skillplan.accounts.roles import Role
from skillplan.core.credit_code import make_credit_code
from skillplan.providers import services
from skillplan.providers.models import BaseLevel, Provider, TrainingBase
from skillplan.regions.models import Region

# A validity the province may give today: it starts today and lasts three years.
VALID_FROM = timezone.localdate()
VALID_UNTIL = VALID_FROM + timedelta(days=3 * 365)
APPLICATION = {"name": "阳光培训学校残疾人职业培训基地", "requested_level": BaseLevel.CITY,
               "training_offer": "电商客服、保健按摩", "facilities": "实训室两间"}
GOOD = {"trainees_trained": "250", "completion_rate": "96", "certificate_rate": "95",
        "satisfaction": "97", "third_party_rating": "95", "complaints": "0",
        "employment_rate": "90"}
POOR = {"trainees_trained": "40", "completion_rate": "60", "certificate_rate": "40",
        "satisfaction": "70", "third_party_rating": "55", "complaints": "4",
        "employment_rate": "20"}


@pytest.fixture(autouse=True)
def _english(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def files_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.FILES_DIR = tmp_path / "files"
    return settings.FILES_DIR


@pytest.fixture
def checker(db: Any) -> User:
    """Another province clerk: the second pair of eyes of the maker-checker rule."""
    user = User(username="province_checker", full_name="省残联 复核员", role=Role.PROVINCE,
                region=Region.objects.get(code="43"))
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def sunshine(persona: Callable[[str], User]) -> Provider:
    provider = persona("demo_provider").provider
    assert provider is not None
    return provider


@pytest.fixture
def base_to(persona: Callable[[str], User], sunshine: Provider) -> Callable[[str], TrainingBase]:
    """``base_to("accredited")``: the 芙蓉区 provider's base brought to that status through
    the services, each step by its right owner."""

    def bring(status: str) -> TrainingBase:
        staff, city, province = (persona("demo_provider"), persona("demo_city_changsha"),
                                 persona("demo_province"))
        base = services.base_application_save(actor=staff, provider=sunshine,
                                              values=APPLICATION)
        if status == "draft":
            return base
        base = services.base_submit(actor=staff, base=base, expected_version=base.version)
        if status == "applied":
            return base
        base = services.base_city_review(actor=city, base=base, approve=True, comment="同意推荐",
                                         expected_version=base.version)
        if status == "city_reviewed":
            return base
        return services.base_accredit(
            actor=province, base=base, accredit=True, comment="符合条件",
            level=BaseLevel.CITY, valid_from=VALID_FROM, valid_until=VALID_UNTIL,
            expected_version=base.version)

    return bring


@pytest.fixture
def make_provider(persona: Callable[[str], User]) -> Callable[..., Provider]:
    counter = iter(range(100, 999))

    def make(county: str = "430103", *, published: bool = False, **fields: Any) -> Provider:
        number = next(counter)
        region = Region.objects.get(code=county)
        data = {"name": f"测试培训学校{number}",
                "credit_code": make_credit_code(f"52{county}MA4L{number:05d}"[:17]),
                "kind": "training_institution", "published": published,
                "contact_name": "王老师", "contact_phone": "13900001111",
                "public_phone": "0731-84560000", **fields}
        return services.provider_create(actor=persona("demo_province"),
                                        values=services.ProviderValues(region, data))

    return make
