"""Demo catalog: 30 realistic, made-up training projects across the province's cities and
the training types, in every status, some of them new-economy projects, and brand projects for
half of the cities in the current period (the other half show the "none yet" flag).

``seed_catalog()`` is deterministic (fixed values; dates counted back from today) and
idempotent (a project whose name is already in its region is skipped; a city's brand for the
period is set only once).
Makers are the demo city clerks where the city has one (长沙, 湘西) and the platform
otherwise; the reviewer is the demo province account, so maker and checker always differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from skillplan.accounts.models import User
from skillplan.audit.services import audit_record
from skillplan.catalog.choices import Accommodation as A
from skillplan.catalog.choices import ProjectStatus as S
from skillplan.catalog.models import BrandProject, ProjectStep, TrainingProject
from skillplan.catalog.rules import ProjectValues, brand_period, check_project
from skillplan.catalog.services import _apply, _insert, snapshot
from skillplan.core.credit_code import make_credit_code
from skillplan.providers.models import Provider
from skillplan.regions.models import Region

TZ = ZoneInfo("Asia/Shanghai")
MAKERS = {"4301": "demo_city_changsha", "4331": "demo_city_xiangxi"}
REVIEWER = "demo_province"
PROVIDERS = {"4301": "91430102MA4L00000", "4331": "52433101MA4L00000"}  # demo providers
EMPLOYMENT, RURAL, MASSAGE, SPECIAL = "employment", "rural", "massage", "special"
ON_THE_JOB, STARTUP, HIGH, EMPLOYER, STAFF = (
    "on_the_job", "entrepreneurship", "high_skill", "employer", "service_staff")
VENUE, SIGN, BRAILLE, LARGE = A.ACCESSIBLE_VENUE, A.SIGN_LANGUAGE, A.BRAILLE, A.LARGE_PRINT
EASY, CAPTIONS, READER = A.EASY_READ, A.CAPTIONS, A.SCREEN_READER


@dataclass(frozen=True)
class DemoProject:
    region: str
    name: str
    training_type: str
    sub_type: str
    occupation: tuple[str, str]
    days: int
    hours: int
    delivery: str
    fee: int
    categories: str
    accommodations: int
    status: str
    summary: str = ""
    employer: str = ""
    brand: bool = False


NO_OCC = ("", "")
PROJECTS = [
    DemoProject("43", "盲人保健按摩师培训", MASSAGE, "", ("4-10-04-02", "保健按摩师"), 60, 480,
                "offline", 3600, "1", BRAILLE | LARGE | VENUE | READER, S.PUBLISHED,
                "经络腧穴、推拿手法、保健按摩服务规范，结业可参加职业技能等级认定。"),
    DemoProject("43", "医疗按摩人员继续教育", MASSAGE, "", ("2-05-07-14", "医疗按摩人员"), 10,
                80, "blended", 1200, "1", BRAILLE | READER, S.PUBLISHED),
    DemoProject("43", "残疾人就业服务人员能力提升培训", STAFF, "", NO_OCC, 5, 40, "blended", 0,
                "1234567", SIGN | CAPTIONS | VENUE, S.PUBLISHED),
    DemoProject("43", "用人单位雇主按比例安排残疾人就业政策培训", EMPLOYER, "", NO_OCC, 2, 12,
                "online", 0, "1234567", CAPTIONS | READER, S.PUBLISHED),
    DemoProject("43", "残疾人网络直播带货创业培训", STARTUP, "startup_new_media", NO_OCC, 10, 80,
                "blended", 1500, "124", SIGN | CAPTIONS | READER, S.PUBLISHED,
                "直播平台规则、选品、脚本与话术、直播间搭建和售后服务。"),
    DemoProject("43", "工业机器人系统操作员高技能人才培训", HIGH, "",
                ("6-31-01-10", "工业机器人系统操作员"), 30, 240, "offline", 4800, "24", VENUE,
                S.SUBMITTED),
    DemoProject("4301", "电商客服专项技能培训", EMPLOYMENT, "services",
                ("4-01-02-02", "电子商务师"), 15, 120, "blended", 1800, "124",
                SIGN | CAPTIONS | READER, S.PUBLISHED,
                "网店客服流程、售前售后沟通、客服工具使用，提供手语翻译和读屏软件。",
                brand=True),
    DemoProject("4301", "电商美工设计培训", EMPLOYMENT, "ict", ("4-08-08-07", "平面设计师"), 20,
                160, "online", 2000, "24", CAPTIONS, S.PUBLISHED),
    DemoProject("4301", "中式面点师培训", EMPLOYMENT, "services", ("4-03-02-02", "中式面点师"),
                30, 240, "offline", 2400, "245", VENUE | EASY, S.DRAFT),
    DemoProject("4301", "智能装备装配工定单式培训", EMPLOYMENT, "order_based",
                ("6-20-99-00", "其他通用设备制造人员"), 20, 160, "offline", 1600, "24", VENUE,
                S.RETURNED, employer="长沙星沙精工机械有限公司"),
    DemoProject("4301", "在岗残疾职工技能提升培训", ON_THE_JOB, "in_job",
                ("4-07-05-01", "物业管理员"), 5, 40, "offline", 600, "1234", SIGN | VENUE,
                S.PUBLISHED),
    DemoProject("4301", "电子商务创业提升培训", STARTUP, "startup_ecommerce", NO_OCC, 12, 72,
                "blended", 1400, "124", CAPTIONS | READER, S.PUBLISHED),
    DemoProject("4331", "湘西苗绣非遗传承培训", SPECIAL, "heritage", NO_OCC, 30, 180, "offline",
                2000, "2456", SIGN | EASY | VENUE, S.PUBLISHED,
                "苗绣针法与纹样、非遗传承人带徒传艺，优秀学员可进入非遗自强工作坊。",
                brand=True),
    DemoProject("4331", "土家织锦民族传统技艺培训", SPECIAL, "ethnic_skill", NO_OCC, 20, 120,
                "offline", 1600, "245", EASY | VENUE, S.PUBLISHED),
    DemoProject("4331", "猕猴桃种植技术培训", RURAL, "planting", NO_OCC, 7, 42, "offline", 400,
                "24", EASY, S.PUBLISHED),
    DemoProject("4331", "美丽工坊手工编织培训", SPECIAL, "beauty_workshop", NO_OCC, 15, 90,
                "offline", 900, "2345", EASY | VENUE, S.SUBMITTED),
    DemoProject("4302", "醴陵陶瓷彩绘培训", EMPLOYMENT, "handicraft",
                ("6-09-03-03", "陶瓷装饰工"), 25, 180, "offline", 2000, "234", VENUE,
                S.PUBLISHED, brand=True),
    DemoProject("4302", "电商运营实务培训", EMPLOYMENT, "services",
                ("4-01-02-02", "电子商务师"), 15, 100, "blended", 1500, "124", READER,
                S.PUBLISHED),
    DemoProject("4303", "湘莲加工技术培训", RURAL, "processing", NO_OCC, 5, 30, "offline", 300,
                "245", EASY, S.PUBLISHED, brand=True),
    DemoProject("4304", "网络直播营销培训", STARTUP, "startup_new_media", NO_OCC, 10, 60,
                "online", 1200, "124", CAPTIONS | READER, S.PUBLISHED, brand=True),
    DemoProject("4304", "生猪养殖技术培训", RURAL, "breeding", NO_OCC, 6, 36, "offline", 300,
                "24", EASY, S.WITHDRAWN),
    DemoProject("4305", "竹木手工艺培训", RURAL, "traditional_craft", NO_OCC, 15, 90, "offline",
                800, "245", EASY | VENUE, S.PUBLISHED),
    DemoProject("4306", "仓储管理员岗前培训", ON_THE_JOB, "pre_job",
                ("4-02-06-01", "仓储管理员"), 5, 40, "offline", 500, "24", VENUE, S.PUBLISHED,
                brand=True),
    DemoProject("4307", "残疾人创业技能培训", STARTUP, "startup_skills", NO_OCC, 10, 80,
                "blended", 1200, "1234", SIGN | CAPTIONS, S.PUBLISHED, brand=True),
    DemoProject("4308", "民宿服务员培训", EMPLOYMENT, "services",
                ("4-03-01-01", "前厅服务员"), 10, 80, "offline", 1000, "24", VENUE, S.DRAFT),
    DemoProject("4309", "安化黑茶加工技术培训", RURAL, "processing", NO_OCC, 8, 48, "offline",
                500, "245", EASY, S.PUBLISHED),
    DemoProject("4310", "计算机操作员培训", EMPLOYMENT, "ict", ("4-04-05-01", "计算机操作员"),
                20, 160, "blended", 1600, "24", READER | CAPTIONS, S.PUBLISHED),
    DemoProject("4311", "瑶族刺绣民间工艺培训", SPECIAL, "folk_art", NO_OCC, 20, 120, "offline",
                1500, "245", EASY | VENUE, S.PUBLISHED),
    DemoProject("4312", "物业管理员转岗培训", ON_THE_JOB, "job_transfer",
                ("4-07-05-01", "物业管理员"), 10, 64, "offline", 800, "24", VENUE, S.SUBMITTED),
    DemoProject("4313", "数控车工培训", EMPLOYMENT, "industry", ("6-18-01-01", "车工"), 40, 320,
                "offline", 3200, "24", VENUE, S.PUBLISHED),
]


def _base_day() -> datetime:
    """Demo steps start 120 days before today, at 09:00 (same data for a given day)."""
    today = timezone.localdate() - timedelta(days=120)
    return datetime(today.year, today.month, today.day, 9, 0, tzinfo=TZ)


def _provider(region: str) -> list[Provider]:
    first17 = PROVIDERS.get(region[:4]) if region != "43" else PROVIDERS["4301"]
    if first17 is None:
        return []
    return list(Provider.objects.filter(credit_code=make_credit_code(first17)))


def _lifecycle(status: str) -> list[str]:
    path: dict[str, list[str]] = {
        S.DRAFT: [], S.SUBMITTED: [S.SUBMITTED], S.RETURNED: [S.SUBMITTED, S.RETURNED],
        S.PUBLISHED: [S.SUBMITTED, S.PUBLISHED],
        S.WITHDRAWN: [S.SUBMITTED, S.PUBLISHED, S.WITHDRAWN]}
    return path[status]


def _seed_project(item: DemoProject, index: int, reviewer: User | None) -> TrainingProject:
    maker = User.objects.filter(username=MAKERS.get(item.region, "")).first()
    region = Region.objects.get(code=item.region)
    values = ProjectValues(
        name=item.name, training_type=item.training_type, sub_type=item.sub_type,
        employer_name=item.employer, occupation_code=item.occupation[0],
        occupation_name=item.occupation[1], days=item.days, hours=item.hours,
        delivery=item.delivery, fee_standard=Decimal(item.fee),
        categories=list(item.categories), accommodations=int(item.accommodations),
        summary=item.summary, region=region, providers=_provider(item.region))
    problems = check_project(values)
    assert not problems, (item.name, problems)
    project = TrainingProject(status=S.DRAFT)
    _apply(project, values)
    _insert(project, maker)
    project.providers.set(values.providers)
    if maker is not None:
        project.prepared_by.add(maker)
    at = _base_day() + timedelta(days=index)
    ProjectStep.objects.create(project=project, actor=maker, to_status=S.DRAFT, at=at)
    previous: str = S.DRAFT
    stamps: dict[str, object] = {}
    for step in _lifecycle(item.status):
        actor = maker if step == S.SUBMITTED else reviewer
        at = at + timedelta(days=7)
        comment = ""
        if step == S.SUBMITTED:
            stamps.update(submitted_at=at, submitted_by=maker)
        elif step == S.PUBLISHED:
            stamps.update(published_at=at, published_by=reviewer)
        elif step == S.RETURNED:
            comment = "请补充合作用人单位的用工承诺书，并核实课时安排。"
            stamps.update(review_comment=comment)
        elif step == S.WITHDRAWN:
            comment = "承训机构停止办学，项目退出目录。"
            stamps.update(withdrawn_at=at, withdrawn_reason=comment)
        ProjectStep.objects.create(project=project, actor=actor, from_status=previous,
                                   to_status=step, comment=comment, at=at)
        previous = step
    TrainingProject.objects.filter(pk=project.pk).update(status=item.status, **stamps)
    project.refresh_from_db()
    audit_record(actor=None, event="project.created", target=project,
                 region_code=project.region_code,
                 after={**snapshot(project), "status": project.status, "demo": True})
    return project


@transaction.atomic
def seed_catalog() -> int:
    """Create the demo projects and brand projects; returns how many projects were created."""
    reviewer = User.objects.filter(username=REVIEWER).first()
    created = 0
    start, end = brand_period(timezone.localdate().year)
    for index, item in enumerate(PROJECTS):
        project = TrainingProject.objects.filter(name=item.name, region_code=item.region).first()
        if project is None:
            project = _seed_project(item, index, reviewer)
            created += 1
        if item.brand and project.status == S.PUBLISHED and not BrandProject.objects.filter(
                city_code=item.region, period_start=start).exists():
            brand = BrandProject.objects.create(
                project=project, city=project.region, city_code=item.region,
                period_start=start, period_end=end, designated_by=reviewer,
                designated_at=_base_day() + timedelta(days=60), note="示范性强、就业带动效果好")
            audit_record(actor=None, event="brand.designated", target=brand,
                         region_code=item.region,
                         after={"project": project.code, "period": brand.period_label,
                                "demo": True})
    return created
