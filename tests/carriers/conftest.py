"""Carrier fixtures: English messages, a files directory for exports, and a small hand-built
set of carriers in 芙蓉区 (长沙), 岳麓区 (长沙) and 吉首市 (湘西)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from pytest_django.fixtures import Settings

from skillplan.accounts.demo import DEMO_PROVIDERS
from skillplan.carriers.models import Carrier, CarrierKind, CarrierStatus
from skillplan.core.credit_code import make_credit_code
from skillplan.providers.models import Provider
from skillplan.regions.models import Region

EMPLOYER_CODE = make_credit_code("91430102MA4Q0000A")


@pytest.fixture(autouse=True)
def _english(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def files_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.FILES_DIR = tmp_path / "files"
    return settings.FILES_DIR


def demo_provider(key: str) -> Provider:
    return Provider.objects.get(credit_code=make_credit_code(DEMO_PROVIDERS[key][2][:17]))


@pytest.fixture
def make_carrier(db: Any) -> Callable[..., Carrier]:
    """``make_carrier(name, kind, county, provider=None, status=..., **facts)``: saved as is."""
    counter = iter(range(1, 1000))

    def make(name: str, kind: str = CarrierKind.PRACTICE_BASE, county: str = "430102", *,
             provider: Provider | None = None, status: str = CarrierStatus.ACTIVE,
             **facts: Any) -> Carrier:
        carrier = Carrier(
            name=name, kind=kind, region=Region.objects.get(code=county), region_code=county,
            recognised_by="city", status=status, contact_name="王联系",
            contact_phone="13912345678", address="某街道1号", notes="内部备注", **facts,
        )
        if provider is not None:
            carrier.provider = provider
        else:
            carrier.employer_name = f"{name}有限公司"
            carrier.employer_credit_code = make_credit_code(f"91{county}MA4Q{next(counter):05d}")
        carrier.full_clean()
        carrier.save()
        return carrier

    return make


@pytest.fixture
def hand_built(make_carrier: Callable[..., Carrier]) -> dict[str, Carrier]:
    """Two 美丽工坊 (one suspended) and a practice base in 芙蓉区, an assistance unit in
    岳麓区, a 美丽工坊 in 吉首市 and a studio linked to the 芙蓉区 demo provider."""
    bw = CarrierKind.BEAUTIFUL_WORKSHOP
    return {
        "bw_furong": make_carrier("芙蓉湘绣美丽工坊", bw, "430102", women_total=30,
                                  women_disabled=20, work_arrangement="home"),
        "bw_furong_suspended": make_carrier("芙蓉手工皂美丽工坊", bw, "430102", women_total=10,
                                            women_disabled=5, work_arrangement="workshop",
                                            status=CarrierStatus.SUSPENDED),
        "base_furong": make_carrier("芙蓉实训基地", CarrierKind.PRACTICE_BASE, "430102"),
        "unit_yuelu": make_carrier("岳麓帮扶单位", CarrierKind.ASSISTANCE_UNIT, "430104",
                                   employees_placed=12),
        "bw_jishou": make_carrier("吉首苗绣美丽工坊", bw, "433101", women_total=50,
                                  women_disabled=40, work_arrangement="near_home"),
        "studio_provider": make_carrier(
            "阳光技能大师工作室", CarrierKind.MASTER_STUDIO, "430102",
            provider=demo_provider("sunshine"), master_name="李大师", master_occupation="按摩师"),
    }
