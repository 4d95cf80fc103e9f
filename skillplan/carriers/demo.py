"""Demo carriers: 25 records of every kind across nine cities of Hunan (deterministic and
idempotent: a carrier whose name exists is left as it is). ``seed_demo`` calls
:func:`seed_carriers` after the demo accounts (two carriers link to the demo providers)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from skillplan.accounts.demo import DEMO_PROVIDERS
from skillplan.audit.services import audit_record
from skillplan.carriers.models import (
    Carrier,
    CarrierKind,
    CarrierStatus,
    HeritageLevel,
    RecognitionLevel,
    WorkArrangement,
)
from skillplan.core.credit_code import make_credit_code
from skillplan.providers.models import Provider
from skillplan.regions.models import Region

K, R, H, W = CarrierKind, RecognitionLevel, HeritageLevel, WorkArrangement

# (name, kind, county, provider key or (employer, first 17 of its credit code), recognised by,
#  recognised on, kind-specific facts, status)
DEMO_CARRIERS: list[tuple[Any, ...]] = [
    ("阳光学校实习实训基地", K.PRACTICE_BASE, "430102", "sunshine", R.CITY, date(2022, 5, 10),
     {}, CarrierStatus.ACTIVE),
    ("长沙县星沙电子商务实训基地", K.PRACTICE_BASE, "430121",
     ("长沙星沙电商产业园有限公司", "91430121MA4P00001"), R.PROVINCE, date(2021, 9, 1), {},
     CarrierStatus.ACTIVE),
    ("株洲荷塘区汽配实习实训基地", K.PRACTICE_BASE, "430202",
     ("株洲荷塘汽车零部件有限公司", "91430202MA4P00002"), R.CITY, date(2023, 3, 15), {},
     CarrierStatus.ACTIVE),
    ("常德武陵区盲人按摩实训基地", K.PRACTICE_BASE, "430702",
     ("常德市康泰保健按摩有限公司", "91430702MA4P00003"), R.CITY, date(2020, 11, 20), {},
     CarrierStatus.SUSPENDED),
    ("娄底娄星区家政服务实训基地", K.PRACTICE_BASE, "431302",
     ("娄底市巧手家政服务有限公司", "91431302MA4P00004"), R.COUNTY, date(2023, 8, 8), {},
     CarrierStatus.ACTIVE),
    ("岳麓区湘绣技能大师工作室", K.MASTER_STUDIO, "430104",
     ("长沙岳麓湘绣艺术有限公司", "91430104MA4P00005"), R.PROVINCE, date(2021, 6, 18),
     {"master_name": "李秀英", "master_occupation": "刺绣工艺师",
      "master_title": "湖南省技能大师、全国助残先进个人"}, CarrierStatus.ACTIVE),
    ("浏阳花炮技能大师工作室", K.MASTER_STUDIO, "430181",
     ("浏阳市烟花工艺研究有限公司", "91430181MA4P00006"), R.CITY, date(2022, 4, 2),
     {"master_name": "陈国华", "master_occupation": "烟花爆竹工", "master_title": "长沙市技能大师"},
     CarrierStatus.ACTIVE),
    ("湘潭雨湖区盲人推拿大师工作室", K.MASTER_STUDIO, "430302",
     ("湘潭市明目推拿中心", "52430302MA4P00007"), R.PROVINCE, date(2020, 10, 15),
     {"master_name": "周德明", "master_occupation": "保健按摩师",
      "master_title": "全国技术能手"}, CarrierStatus.ACTIVE),
    ("郴州北湖区电子装配大师工作室", K.MASTER_STUDIO, "431002",
     ("郴州市北湖电子科技有限公司", "91431002MA4P00008"), R.CITY, date(2023, 1, 12),
     {"master_name": "黄志强", "master_occupation": "电子设备装接工", "master_title": ""},
     CarrierStatus.CLOSED),
    ("吉首民族工艺技能大师工作室", K.MASTER_STUDIO, "433101", "xiangxi", R.PROVINCE,
     date(2022, 12, 1),
     {"master_name": "向桂花", "master_occupation": "民族服饰制作工",
      "master_title": "湘西州非遗传承人"}, CarrierStatus.ACTIVE),
    ("湘西苗绣非遗自强工作坊", K.HERITAGE_WORKSHOP, "433101",
     ("吉首市苗绣文化发展有限公司", "91433101MA4P00009"), R.PROVINCE, date(2021, 3, 20),
     {"heritage_item": "湘西苗绣", "heritage_level": H.NATIONAL}, CarrierStatus.ACTIVE),
    ("永顺土家织锦非遗自强工作坊", K.HERITAGE_WORKSHOP, "433127",
     ("永顺县西兰卡普织锦合作社", "93433127MA4P00010"), R.PROVINCE, date(2022, 7, 7),
     {"heritage_item": "土家族织锦技艺", "heritage_level": H.NATIONAL}, CarrierStatus.ACTIVE),
    ("邵东竹编非遗自强工作坊", K.HERITAGE_WORKSHOP, "430582",
     ("邵东市竹艺制品有限公司", "91430582MA4P00011"), R.CITY, date(2023, 5, 5),
     {"heritage_item": "邵东竹编", "heritage_level": H.CITY}, CarrierStatus.ACTIVE),
    ("怀化鹤城区侗锦非遗自强工作坊", K.HERITAGE_WORKSHOP, "431202",
     ("怀化市侗锦文化传播有限公司", "91431202MA4P00012"), R.CITY, date(2021, 11, 11),
     {"heritage_item": "侗锦织造技艺", "heritage_level": H.PROVINCIAL}, CarrierStatus.ACTIVE),
    ("永定区土家木雕非遗自强工作坊", K.HERITAGE_WORKSHOP, "430802",
     ("张家界永定木雕工艺社", "92430802MA4P00013"), R.COUNTY, date(2024, 2, 26),
     {"heritage_item": "土家木雕", "heritage_level": H.COUNTY}, CarrierStatus.ACTIVE),
    ("芙蓉区湘绣美丽工坊", K.BEAUTIFUL_WORKSHOP, "430102",
     ("长沙芙蓉巧娘湘绣有限公司", "91430102MA4P00014"), R.CITY, date(2022, 3, 8),
     {"women_total": 36, "women_disabled": 22, "work_arrangement": W.HOME,
      "products": "湘绣挂件、手帕"}, CarrierStatus.ACTIVE),
    ("雨花区手工皂美丽工坊", K.BEAUTIFUL_WORKSHOP, "430111",
     ("长沙雨花香韵日化有限公司", "91430111MA4P00015"), R.COUNTY, date(2023, 3, 8),
     {"women_total": 18, "women_disabled": 12, "work_arrangement": W.WORKSHOP,
      "products": "手工皂、香薰"}, CarrierStatus.ACTIVE),
    ("攸县竹编美丽工坊", K.BEAUTIFUL_WORKSHOP, "430223",
     ("攸县巧手竹编专业合作社", "93430223MA4P00016"), R.CITY, date(2021, 3, 8),
     {"women_total": 45, "women_disabled": 30, "work_arrangement": W.NEAR_HOME,
      "products": "竹篮、竹编工艺品"}, CarrierStatus.ACTIVE),
    ("保靖苗绣美丽工坊", K.BEAUTIFUL_WORKSHOP, "433125",
     ("保靖县苗家绣娘农民专业合作社", "93433125MA4P00017"), R.PROVINCE, date(2022, 3, 8),
     {"women_total": 60, "women_disabled": 41, "work_arrangement": W.HOME,
      "products": "苗绣服饰、背包"}, CarrierStatus.ACTIVE),
    ("资阳区渔网编织美丽工坊", K.BEAUTIFUL_WORKSHOP, "430902",
     ("益阳资阳渔具有限公司", "91430902MA4P00018"), R.COUNTY, date(2023, 9, 1),
     {"women_total": 24, "women_disabled": 15, "work_arrangement": W.NEAR_HOME,
      "products": "渔网、渔具配件"}, CarrierStatus.SUSPENDED),
    ("岳阳楼区电商客服就业帮扶单位", K.ASSISTANCE_UNIT, "430602",
     ("岳阳云联网络科技有限公司", "91430602MA4P00019"), R.CITY, date(2022, 6, 6),
     {"employees_placed": 28}, CarrierStatus.ACTIVE),
    ("常宁市服装加工就业帮扶单位", K.ASSISTANCE_UNIT, "430482",
     ("常宁市锦程服饰有限公司", "91430482MA4P00020"), R.COUNTY, date(2021, 12, 3),
     {"employees_placed": 17}, CarrierStatus.ACTIVE),
    ("零陵区农产品加工就业帮扶单位", K.ASSISTANCE_UNIT, "431102",
     ("永州零陵绿源食品有限公司", "91431102MA4P00021"), R.CITY, date(2023, 4, 18),
     {"employees_placed": 12}, CarrierStatus.ACTIVE),
    ("资兴市东江湖民宿就业帮扶单位", K.ASSISTANCE_UNIT, "431081",
     ("资兴东江湖文旅发展有限公司", "91431081MA4P00022"), R.COUNTY, date(2024, 1, 9),
     {"employees_placed": 9}, CarrierStatus.ACTIVE),
    ("岳麓区数据标注就业帮扶单位", K.ASSISTANCE_UNIT, "430104",
     ("长沙麓山智能数据服务有限公司", "91430104MA4P00023"), R.PROVINCE, date(2023, 12, 3),
     {"employees_placed": 40}, CarrierStatus.ACTIVE),
]

DEMO_CONTACT = ("联系人", "0731-84561234")


def _provider(key: str) -> Provider | None:
    _name, _county, code = DEMO_PROVIDERS[key]
    return Provider.objects.filter(credit_code=make_credit_code(code[:17])).first()


@transaction.atomic
def seed_carriers() -> int:
    """Create the demo carriers that do not exist yet; returns how many were created."""
    created = 0
    existing = set(Carrier.objects.values_list("name", flat=True))
    regions = {region.code: region for region in Region.objects.filter(
        code__in={row[2] for row in DEMO_CARRIERS})}
    for number, row in enumerate(DEMO_CARRIERS, start=1):
        name, kind, county, link, recognised_by, recognised_on, facts, status = row
        if name in existing or county not in regions:
            continue
        carrier = Carrier(name=name, kind=kind, region=regions[county], region_code=county,
                          recognised_by=recognised_by, recognised_on=recognised_on,
                          address=f"{regions[county].full_name}示范路{number}号",
                          contact_name=DEMO_CONTACT[0], contact_phone=DEMO_CONTACT[1], **facts)
        if isinstance(link, str):
            carrier.provider = _provider(link)
            if carrier.provider is None:
                continue  # the demo accounts (and their providers) are seeded first
        else:
            carrier.employer_name, carrier.employer_credit_code = link[0], make_credit_code(
                link[1])
        if status != CarrierStatus.ACTIVE:
            carrier.status = status
            carrier.status_reason = (
                "整改期间暂停" if status == CarrierStatus.SUSPENDED else "企业注销")
            carrier.status_changed_at = timezone.now()
        carrier.full_clean()
        carrier.save(force_insert=True)
        audit_record(actor=None, event="carrier.created", target=carrier,
                     region_code=carrier.region_code, after={"name": name, "demo": True})
        created += 1
    return created
