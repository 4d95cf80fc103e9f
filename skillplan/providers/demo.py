"""Demo training providers and bases across Hunan, for ``seed_demo``.

``seed_providers()`` is deterministic (fixed names, codes and dates) and idempotent (a provider
whose credit code exists is left alone, and a provider that already has a base gets no other).
It leaves bases in every state, so each demo account has something to do:

- accredited bases at each level in ten cities (one raised after its evaluation, one with a
  scored evaluation awaiting the province's decision);
- 阳光培训学校 (``demo_provider``, 长沙) applied, awaiting the 长沙 city review; another 衡阳
  application recommended by the city, awaiting accreditation;
- the 湘西 provider (``demo_provider_xiangxi``) with a draft application;
- one application returned (益阳), one refused (永州), one base withdrawn (邵阳), and
  张家界 with no application at all: these four cities have NO accredited base.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from skillplan.accounts.demo import DEMO_PROVIDERS
from skillplan.audit.services import audit_record
from skillplan.core.credit_code import make_credit_code
from skillplan.providers.models import (
    BaseEvaluation,
    BaseLevel,
    BaseStatus,
    BaseStep,
    EvaluationIndicator,
    EvaluationOutcome,
    EvaluationScore,
    EvaluationStatus,
    Provider,
    ProviderKind,
    StepAction,
    TrainingBase,
)
from skillplan.providers.services import proposed_outcome, weighted_total
from skillplan.regions.models import Region

VALID_FROM = date(2024, 3, 1)
VALID_UNTIL = date(2029, 12, 31)
K = ProviderKind


@dataclass(frozen=True)
class DemoProvider:
    key: str
    name: str
    county: str
    code17: str
    kind: str
    state: str  # a BaseStatus, "raised", "scored", or "" for no base
    level: str = ""
    features: tuple[str, ...] = ("step_free", "accessible_toilets")
    capacity: int = 60
    published: bool = True


DEMO = [
    DemoProvider("sunshine", DEMO_PROVIDERS["sunshine"][0], "430102", "", K.TRAINING_INSTITUTION,
                 BaseStatus.APPLIED, capacity=80),
    DemoProvider("xiangxi", DEMO_PROVIDERS["xiangxi"][0], "433101", "", K.SOCIAL_ORGANISATION,
                 BaseStatus.DRAFT, features=("step_free",), capacity=40),
    DemoProvider("hn_centre", "湖南省残疾人职业技能培训中心", "430104", "12430000MB1D00011",
                 K.PUBLIC_TRAINING_BASE, BaseStatus.ACCREDITED, BaseLevel.NATIONAL,
                 ("step_free", "accessible_toilets", "accessible_lift", "braille_signage",
                  "sign_language_staff", "induction_loop", "accessible_parking"), 300),
    DemoProvider("cs_special", "长沙市特殊教育学校", "430105", "12430100MB1D00012",
                 K.SPECIAL_SCHOOL, BaseStatus.ACCREDITED, BaseLevel.PROVINCIAL,
                 ("step_free", "accessible_toilets", "braille_signage", "sign_language_staff"),
                 200),
    DemoProvider("cs_ecommerce", "长沙星城电商服务有限公司", "430103", "91430103MA4L00013",
                 K.ENTERPRISE, "", features=("accessible_lift",), capacity=30),
    DemoProvider("zz_tech", "株洲市工贸技工学校", "430202", "12430200MB1D00014",
                 K.TECHNICAL_SCHOOL, BaseStatus.ACCREDITED, BaseLevel.CITY),
    DemoProvider("xt_massage", "湘潭市盲人按摩职业培训学校", "430302", "52430300MJ5000015",
                 K.TRAINING_INSTITUTION, BaseStatus.ACCREDITED, BaseLevel.PROVINCIAL,
                 ("step_free", "braille_signage", "accessible_toilets"), 50),
    DemoProvider("hy_vocational", "衡阳市残疾人职业技能培训学校", "430405", "52430400MJ5000016",
                 K.TRAINING_INSTITUTION, BaseStatus.ACCREDITED, BaseLevel.CITY),
    DemoProvider("hy_college", "衡阳技师学院", "430407", "12430400MB1D00017",
                 K.TECHNICAL_SCHOOL, BaseStatus.CITY_REVIEWED, capacity=150),
    DemoProvider("sy_crafts", "邵阳市民间工艺培训中心", "430502", "52430500MJ5000018",
                 K.SOCIAL_ORGANISATION, BaseStatus.WITHDRAWN, BaseLevel.CITY),
    DemoProvider("yy_vocational", "岳阳职业技术学院", "430602", "12430600MB1D00019",
                 K.VOCATIONAL_SCHOOL, "raised", BaseLevel.CITY,
                 ("step_free", "accessible_toilets", "accessible_lift"), 120),
    DemoProvider("cd_agri", "常德市农村实用技术培训学校", "430703", "52430700MJ5000020",
                 K.TRAINING_INSTITUTION, BaseStatus.ACCREDITED, BaseLevel.CITY),
    DemoProvider("zjj_heritage", "张家界土家织锦传习所", "430802", "52430800MJ5000021",
                 K.SOCIAL_ORGANISATION, "", features=(), capacity=20),
    DemoProvider("yiy_bamboo", "益阳竹艺职业培训学校", "430903", "52430900MJ5000022",
                 K.TRAINING_INSTITUTION, BaseStatus.RETURNED),
    DemoProvider("cz_service", "郴州市家政服务职业培训学校", "431002", "52431000MJ5000023",
                 K.TRAINING_INSTITUTION, BaseStatus.ACCREDITED, BaseLevel.PROVINCIAL),
    DemoProvider("yz_skills", "永州市技能培训学校", "431103", "52431100MJ5000024",
                 K.TRAINING_INSTITUTION, BaseStatus.REJECTED, features=(), published=False),
    DemoProvider("hh_wuling", "怀化市五溪职业培训学校", "431202", "52431200MJ5000025",
                 K.TRAINING_INSTITUTION, "scored", BaseLevel.CITY),
    DemoProvider("ld_base", "娄底市残疾人综合服务中心", "431302", "12431300MB1D00026",
                 K.PUBLIC_TRAINING_BASE, BaseStatus.ACCREDITED, BaseLevel.CITY),
    DemoProvider("xx_special", "湘西州特殊教育学校", "433101", "12433100MB1D00027",
                 K.SPECIAL_SCHOOL, BaseStatus.ACCREDITED, BaseLevel.CITY,
                 ("step_free", "accessible_toilets", "sign_language_staff"), 90),
    DemoProvider("xx_embroidery", "湘西苗绣自强工坊", "433101", "92433101MA4L00028",
                 K.ENTERPRISE, "", features=("step_free",), capacity=25),
]

AREA_CODES = {
    "4301": "0731", "4302": "0731", "4303": "0731", "4304": "0734", "4305": "0739",
    "4306": "0730", "4307": "0736", "4308": "0744", "4309": "0737", "4310": "0735",
    "4311": "0746", "4312": "0745", "4313": "0738", "4331": "0743",
}  # fmt: skip
# The city federation (by code) whose clerk is named on the demo history.
REVIEWERS = {"4301": "长沙市残联", "4331": "湘西州残联"}
PROVINCE_NAME = "省残联（演示）"
SCORES_GOOD = {"trainees_trained": "230", "completion_rate": "97", "certificate_rate": "92",
               "satisfaction": "96", "third_party_rating": "93", "complaints": "0",
               "employment_rate": "85"}
SCORES_FAIR = {"trainees_trained": "120", "completion_rate": "88", "certificate_rate": "75",
               "satisfaction": "90", "third_party_rating": "80", "complaints": "1",
               "employment_rate": "60"}


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed_indicators() -> int:
    """The plan's evaluation indicators (the migration adds them too); returns how many new."""
    migration = importlib.import_module("skillplan.providers.migrations.0003_default_indicators")
    created = 0
    for order, (code, name, unit, weight, reference, negative) in enumerate(
            migration.INDICATORS, 1):
        _indicator, made = EvaluationIndicator.objects.get_or_create(code=code, defaults={
            "name": name, "unit": unit, "weight": Decimal(weight),
            "reference": Decimal(reference), "negative": negative, "order": order * 10})
        created += made
    return created


def _credit_code(item: DemoProvider) -> str:
    if item.key in DEMO_PROVIDERS:
        return make_credit_code(DEMO_PROVIDERS[item.key][2][:17])
    return make_credit_code(item.code17)


def _provider(item: DemoProvider, number: int) -> tuple[Provider, bool]:
    code = _credit_code(item)
    provider = Provider.objects.filter(credit_code=code).first()
    created = provider is None
    if provider is None:
        provider = Provider(name=item.name, credit_code=code,
                            region=Region.objects.get(code=item.county))
    elif provider.address:  # already filled in by an earlier run or by a clerk
        return provider, False
    provider.kind = item.kind
    provider.address = f"{provider.region.full_name}人民路{number}号" if provider.region_id else ""
    area = AREA_CODES.get(item.county[:4], "0731")
    provider.public_phone = f"{area}-8{number:03d}6000"
    provider.contact_name = "联系人" + "甲乙丙丁戊己庚辛壬癸"[number % 10]
    provider.contact_phone = f"1390731{number:04d}"
    provider.capacity = item.capacity
    provider.licence_type = "school_permit" if item.kind != K.ENTERPRISE else "business_licence"
    provider.licence_number = f"湘演示字第{number:04d}号"
    provider.licence_issuer = "县区人力资源和社会保障局"
    provider.licence_valid_until = date(2028, 12, 31)
    provider.published = item.published
    for name in item.features:
        setattr(provider, name, True)
    provider.save()
    audit_record(actor=None, event="provider.created" if created else "provider.updated",
                 target=provider, region_code=provider.region_code,
                 after={"name": provider.name, "demo": True})
    return provider, created


def _step(base: TrainingBase, action: str, before: str, after: str, who: str, day: date,
          comment: str = "", level: str = "") -> None:
    BaseStep.objects.create(base=base, action=action, from_status=before, to_status=after,
                            level=level, actor_name=who, comment=comment, at=_at(day))


def _evaluation(base: TrainingBase, year: int, scores: dict[str, str], *,
                decided: bool) -> BaseEvaluation:
    indicators = list(EvaluationIndicator.objects.filter(active=True))
    values = [(i, Decimal(scores[i.code])) for i in indicators if i.code in scores]
    total = weighted_total(values)
    evaluation = BaseEvaluation.objects.create(
        base=base, year=year, total=total, region_code=base.region_code,
        proposed_outcome=proposed_outcome(total, BaseLevel.CITY), level_before=BaseLevel.CITY,
        scored_comment="演示数据",
    )
    EvaluationScore.objects.bulk_create([
        EvaluationScore(evaluation=evaluation, indicator=i, value=v, weight=i.weight,
                        points=i.points_for(v)) for i, v in values])
    if decided:
        evaluation.status = EvaluationStatus.DECIDED
        evaluation.outcome = EvaluationOutcome.RAISE
        evaluation.level_after = BaseLevel.PROVINCIAL
        evaluation.reason = "年度评估成绩优秀，培训后就业率高，晋升为省级基地。"
        evaluation.decided_at = _at(date(year + 1, 3, 15))
        evaluation.save()
    return evaluation


def _history(base: TrainingBase, item: DemoProvider, city: str) -> None:
    """Steps of the base up to its demo state (dates fixed)."""
    state = item.state
    _step(base, StepAction.SAVED, "", BaseStatus.DRAFT, base.provider.name, date(2023, 11, 1))
    if state == BaseStatus.DRAFT:
        return
    _step(base, StepAction.SUBMITTED, BaseStatus.DRAFT, BaseStatus.APPLIED, base.provider.name,
          date(2023, 11, 20))
    if state == BaseStatus.APPLIED:
        return
    if state == BaseStatus.RETURNED:
        _step(base, StepAction.CITY_RETURNED, BaseStatus.APPLIED, BaseStatus.RETURNED, city,
              date(2023, 12, 10), base.last_comment)
        return
    _step(base, StepAction.CITY_APPROVED, BaseStatus.APPLIED, BaseStatus.CITY_REVIEWED, city,
          date(2023, 12, 10), "材料齐全，同意推荐。")
    if state == BaseStatus.CITY_REVIEWED:
        return
    if state == BaseStatus.REJECTED:
        _step(base, StepAction.REJECTED, BaseStatus.CITY_REVIEWED, BaseStatus.REJECTED,
              PROVINCE_NAME, date(2024, 2, 20), base.last_comment)
        return
    level = BaseLevel.CITY if state in ("raised", "scored") else item.level
    _step(base, StepAction.ACCREDITED, BaseStatus.CITY_REVIEWED, BaseStatus.ACCREDITED,
          PROVINCE_NAME, VALID_FROM, "符合基地认定条件。", level)
    if state == BaseStatus.WITHDRAWN:
        _step(base, StepAction.WITHDRAWN, BaseStatus.ACCREDITED, BaseStatus.WITHDRAWN,
              PROVINCE_NAME, date(2025, 3, 15), base.last_comment, level)
    if state == "raised":
        _step(base, StepAction.RAISED, BaseStatus.ACCREDITED, BaseStatus.ACCREDITED,
              PROVINCE_NAME, date(2025, 3, 15), "年度评估成绩优秀。", BaseLevel.PROVINCIAL)


_COMMENTS = {
    BaseStatus.RETURNED: "请补充无障碍设施照片和近两年培训残疾人名单。",
    BaseStatus.REJECTED: "培训场地不满足无障碍要求，暂不予认定。",
    BaseStatus.WITHDRAWN: "连续两年未开展残疾人培训，评估不合格，予以退出。",
}


def _base(provider: Provider, item: DemoProvider) -> TrainingBase | None:
    if not item.state or provider.bases.exists():
        return None
    state = {"raised": BaseStatus.ACCREDITED, "scored": BaseStatus.ACCREDITED}.get(
        item.state, item.state)
    accredited = state in (BaseStatus.ACCREDITED, BaseStatus.WITHDRAWN)
    level = BaseLevel.PROVINCIAL if item.state == "raised" else item.level
    base = TrainingBase(
        provider=provider, name=f"{provider.name}残疾人职业培训基地", status=state,
        requested_level=item.level or BaseLevel.CITY, level=level if accredited else "",
        training_offer="电商客服、手工编织、保健按摩等残疾人就业技能培训，每年培训约100人。",
        facilities="实训室3间，无障碍卫生间，专职教师8名（其中手语教师1名）。",
        valid_from=VALID_FROM if accredited else None,
        valid_until=VALID_UNTIL if accredited else None,
        last_comment=_COMMENTS.get(BaseStatus(state), ""),
    )
    if state != BaseStatus.DRAFT:
        base.applied_at = _at(date(2023, 11, 20))
    if state not in (BaseStatus.DRAFT, BaseStatus.APPLIED):
        base.city_reviewed_at = _at(date(2023, 12, 10))
    if accredited or state == BaseStatus.REJECTED:
        base.accredited_at = _at(VALID_FROM if accredited else date(2024, 2, 20))
    base.save()
    city = REVIEWERS.get(provider.city_code, "市州残联") + "（演示）"
    _history(base, item, city)
    if item.state == "raised":
        _evaluation(base, 2024, SCORES_GOOD, decided=True)
    if item.state == "scored":
        _evaluation(base, 2025, SCORES_FAIR, decided=False)
        _step(base, StepAction.EVALUATION_RECORDED, BaseStatus.ACCREDITED,
              BaseStatus.ACCREDITED, city, date(2026, 1, 20), "2025年度评估已打分。",
              BaseLevel.CITY)
    audit_record(actor=None, event="base.created", target=base, region_code=base.region_code,
                 after={"status": base.status, "level": base.level, "demo": True})
    return base


@transaction.atomic
def seed_providers() -> dict[str, Any]:
    """Create the demo providers and bases (idempotent); returns what was created."""
    seed_indicators()
    providers = bases = 0
    for number, item in enumerate(DEMO, start=1):
        provider, created = _provider(item, number)
        providers += created
        bases += _base(provider, item) is not None
    return {"providers": providers, "bases": bases}
