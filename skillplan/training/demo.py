"""Demo training classes (培训班) for ``seed_demo``: classes in every status, in 长沙 and 湘西.

``seed_classes()`` makes every class through the real services, step by step, as the people
would: the demo provider opens and submits it, the city federation (the configured approval
level) approves or returns it, the provider enrols trainees, starts the class, records
attendance, an evaluator or clerk inspects it (with a photo), the provider ends it and enters
the results, the federation approves the completion (which issues the certificates) … so codes,
timelines, audit rows and certificates are all real. Dates are counted from today, so started
classes really have started and the late-results list has something to show:

- 长沙 (阳光职业技能培训学校, ``demo_provider``; approved by ``demo_city_changsha``): a draft, a
  submitted application, a returned one, an approved class with trainees, a running class
  (with ``demo_trainee``, attendance, an inspection by ``demo_evaluator``, who is assigned to
  it), an ended class still within the time for results, an ended class whose results are
  overdue, a completion submitted with results entered late, a completion approved (with
  ``demo_trainee``'s certificate), a closed employer-training class with named participants,
  and a cancelled class;
- 湘西 (民族工艺职业培训中心, ``demo_provider_xiangxi``; approved by ``demo_city_xiangxi``): a
  draft, a submitted application, a running class inspected by the 吉首 clerk, an overdue
  class, a completion approved and a cancelled class.

Idempotent: a class whose name its provider already has is left alone. Trainees are seeded
persons of the class's county (else its city) who pass the eligibility checks and are in no
other demo class. :data:`ROSTER_PERSONS` are six more 芙蓉区 persons the seed registers but
never enrols: ready to be enrolled by hand, or by the browser test's messy roster file.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from skillplan.accounts.demo import DEMO_PROVIDERS
from skillplan.accounts.models import User
from skillplan.catalog.choices import Accommodation as A
from skillplan.catalog.choices import ProjectStatus
from skillplan.catalog.models import TrainingProject
from skillplan.core.credit_code import make_credit_code
from skillplan.core.disability import make_certificate_number
from skillplan.core.idnumber import make_id_number
from skillplan.people.models import Person
from skillplan.people.rules import check_person
from skillplan.people.services import id_hash_of, person_create
from skillplan.providers.models import Provider
from skillplan.regions.models import Region
from skillplan.regions.selectors import region_index
from skillplan.training.choices import AttendanceMark, ClassStatus, InspectionRating
from skillplan.training.eligibility import eligibility_problems
from skillplan.training.models import TrainingClass, approval_level
from skillplan.training.rules import ClassValues
from skillplan.training.services import classes as svc
from skillplan.training.services.attendance import attendance_save
from skillplan.training.services.enrolments import enrol_participant, enrol_person
from skillplan.training.services.inspections import inspection_record
from skillplan.training.services.results import results_record

S = ClassStatus
FURONG, JISHOU = "430102", "433101"
MAKERS = {"4301": "demo_provider", "4331": "demo_provider_xiangxi"}
PROVIDER_KEYS = {"4301": "sunshine", "4331": "xiangxi"}
APPROVERS = {
    "city": {"4301": "demo_city_changsha", "4331": "demo_city_xiangxi"},
    "county": {FURONG: "demo_county_furong", JISHOU: "demo_county_jishou"},
    "province": {},
}
INSPECTORS = {FURONG: "demo_county_furong", JISHOU: "demo_county_jishou"}
TRAINEE_USERNAME = "demo_trainee"
EVALUATOR_USERNAME = "demo_evaluator"
# The order of the lifecycle; a class is taken along it up to its status.
PATH = [S.DRAFT, S.SUBMITTED, S.APPROVED, S.IN_PROGRESS, S.ENDED, S.COMPLETION_SUBMITTED,
        S.COMPLETION_APPROVED, S.CLOSED]


@dataclass(frozen=True)
class RosterPerson:
    """A 芙蓉区 person registered by the seed and never enrolled by it."""

    name: str
    birth: date
    seq: int
    category: str
    grade: str = "3"

    @property
    def id_number(self) -> str:
        return make_id_number(FURONG, self.birth, self.seq)


ROSTER_PERSONS = [
    RosterPerson("易春华", date(1990, 4, 18), 913, "4"),
    RosterPerson("谭静怡", date(1994, 9, 2), 922, "2"),
    RosterPerson("罗志刚", date(1987, 1, 25), 931, "4", "2"),
    RosterPerson("贺秀兰", date(1996, 6, 30), 942, "1"),
    RosterPerson("欧阳晓峰", date(1992, 11, 11), 953, "4", "4"),
    RosterPerson("龙小燕", date(1999, 2, 14), 964, "2"),
]


@dataclass(frozen=True)
class DemoClass:
    name: str
    city: str
    project: str  # the catalog project's name
    status: str
    start: int  # first day, in days from today
    span: int  # calendar days from the first to the last day
    venue: str
    trainees: int = 0
    capacity: int = 30
    budget: int = 30000
    teachers: str = ""
    accommodations: int = 0
    attendance: int = 0  # days of attendance recorded while it runs
    inspect: bool = False
    failed: int = 0  # trainees who do not pass
    results: str = "all"  # "all", "some" or "none" once ended
    with_trainee: bool = False  # demo_trainee on the roster
    evaluator: bool = False
    participants: tuple[tuple[str, str, str], ...] = ()
    comment: str = ""  # the return comment, or the reason for cancelling
    cancel_after: str = S.APPROVED  # how far a cancelled class got first


FURONG_VENUE = "长沙市芙蓉区阳光职业技能培训学校（芙蓉中路二段 88 号）三楼实训室"
JISHOU_VENUE = "吉首市民族工艺职业培训中心（乾州街道世纪大道 16 号）一楼工坊"
CS_TEACHERS = "刘芳 电商客服实务\n陈建国 网店运营\n王丽 手语翻译"
XX_TEACHERS = "石春梅 苗绣传承人（省级）\n田兴华 民族工艺设计"
STEP_FREE = A.ACCESSIBLE_VENUE
CLASSES = [
    # --- 长沙 ------------------------------------------------------------------------------
    DemoClass("{year}年芙蓉区电商美工设计培训班", "4301", "电商美工设计培训", S.DRAFT, 35, 25,
              FURONG_VENUE, teachers="周婷 平面设计", accommodations=A.CAPTIONS),
    DemoClass("芙蓉区盲人保健按摩师培训班（第二期）", "4301", "盲人保健按摩师培训", S.SUBMITTED,
              21, 74, FURONG_VENUE, capacity=20, budget=72000,
              teachers="彭志强 推拿手法\n李玉梅 经络腧穴",
              accommodations=A.BRAILLE | A.LARGE_PRINT | STEP_FREE),
    DemoClass("芙蓉区残疾人网络直播带货创业培训班", "4301", "残疾人网络直播带货创业培训",
              S.RETURNED, 45, 13, FURONG_VENUE, capacity=25, budget=37500,
              teachers="曾子豪 直播运营", accommodations=A.SIGN_LANGUAGE | A.CAPTIONS,
              comment="请补充授课教师的资质证明和场地无障碍设施照片，并核实直播设备预算。"),
    DemoClass("芙蓉区电子商务创业提升培训班（第一期）", "4301", "电子商务创业提升培训",
              S.APPROVED, 7, 14, FURONG_VENUE, trainees=5, capacity=25, budget=35000,
              teachers="陈建国 网店运营\n欧阳琳 创业指导", accommodations=A.CAPTIONS),
    DemoClass("{year}年芙蓉区电商客服专项技能培训班（第三期）", "4301", "电商客服专项技能培训",
              S.IN_PROGRESS, -5, 18, FURONG_VENUE, trainees=8, budget=54000,
              teachers=CS_TEACHERS, accommodations=A.SIGN_LANGUAGE | A.SCREEN_READER,
              attendance=5, inspect=True, with_trainee=True, evaluator=True),
    DemoClass("芙蓉区在岗残疾职工技能提升培训班", "4301", "在岗残疾职工技能提升培训", S.ENDED,
              -9, 4, FURONG_VENUE, trainees=6, budget=12000, teachers="黄伟 物业管理实务",
              accommodations=A.SIGN_LANGUAGE, attendance=3, results="some"),
    DemoClass("芙蓉区医疗按摩人员继续教育班", "4301", "医疗按摩人员继续教育", S.ENDED, -40, 9,
              FURONG_VENUE, trainees=4, capacity=15, budget=18000,
              teachers="彭志强 推拿治疗学", accommodations=A.BRAILLE, attendance=2,
              results="none"),
    DemoClass("{year}年芙蓉区电商客服专项技能培训班（第一期）", "4301", "电商客服专项技能培训",
              S.COMPLETION_SUBMITTED, -75, 14, FURONG_VENUE, trainees=6, budget=54000,
              teachers=CS_TEACHERS, accommodations=A.SIGN_LANGUAGE, attendance=2, failed=1),
    DemoClass("{year}年芙蓉区电商客服专项技能培训班（第二期）", "4301", "电商客服专项技能培训",
              S.COMPLETION_APPROVED, -28, 13, FURONG_VENUE, trainees=6, budget=54000,
              teachers=CS_TEACHERS, accommodations=A.SIGN_LANGUAGE | A.SCREEN_READER,
              attendance=3, inspect=True, failed=1, with_trainee=True),
    DemoClass("长沙市用人单位按比例安排残疾人就业政策培训班", "4301",
              "用人单位雇主按比例安排残疾人就业政策培训", S.CLOSED, -12, 1,
              "长沙市芙蓉区阳光职业技能培训学校 报告厅", capacity=40, budget=6000,
              teachers="张敏 残疾人就业保障金政策", accommodations=A.CAPTIONS,
              participants=(("李建华", "长沙星沙精工机械有限公司", "人力资源部经理"),
                            ("王晓燕", "湖南湘绣城商贸有限公司", "人事专员"),
                            ("刘志明", "长沙芙蓉物业服务有限公司", "行政主管"),
                            ("陈静", "长沙市芙蓉区定王台街道", "就业服务专干"))),
    DemoClass("{year}年芙蓉区电商美工设计培训班（第二期）", "4301", "电商美工设计培训",
              S.CANCELLED, 14, 19, FURONG_VENUE, trainees=2, budget=40000,
              comment="报名人数不足，经与区残联协商，本期培训取消，已报名学员转入下期。"),
    # --- 湘西 ------------------------------------------------------------------------------
    DemoClass("湘西州猕猴桃种植技术培训班（第二期）", "4331", "猕猴桃种植技术培训", S.DRAFT, 40,
              6, JISHOU_VENUE, capacity=30, budget=9000, teachers="向明 果树栽培"),
    DemoClass("湘西州土家织锦民族传统技艺培训班（第二期）", "4331", "土家织锦民族传统技艺培训",
              S.SUBMITTED, 18, 19, JISHOU_VENUE, capacity=20, budget=32000,
              teachers="田兴华 织锦技艺", accommodations=A.EASY_READ | STEP_FREE),
    DemoClass("{year}年湘西州苗绣非遗传承培训班", "4331", "湘西苗绣非遗传承培训", S.IN_PROGRESS, -3,
              29, JISHOU_VENUE, trainees=6, capacity=25, budget=50000, teachers=XX_TEACHERS,
              accommodations=A.SIGN_LANGUAGE | A.EASY_READ | STEP_FREE, attendance=3,
              inspect=True),
    DemoClass("湘西州猕猴桃种植技术培训班（第一期）", "4331", "猕猴桃种植技术培训", S.ENDED, -35,
              6, "吉首市矮寨镇猕猴桃种植基地", trainees=4, budget=9000, teachers="向明 果树栽培",
              attendance=2, results="none"),
    DemoClass("湘西州土家织锦民族传统技艺培训班（第一期）", "4331", "土家织锦民族传统技艺培训",
              S.COMPLETION_APPROVED, -25, 11, JISHOU_VENUE, trainees=5, capacity=20,
              budget=32000, teachers="田兴华 织锦技艺", accommodations=A.EASY_READ | STEP_FREE,
              attendance=2, failed=1),
    DemoClass("湘西州苗绣非遗传承培训班（凤凰班）", "4331", "湘西苗绣非遗传承培训", S.CANCELLED,
              25, 29, "凤凰县沱江镇苗绣自强工坊", budget=50000, cancel_after=S.SUBMITTED,
              comment="授课传承人因病无法到岗，本期培训延期，下半年重新申报。"),
]


# --- who acts ----------------------------------------------------------------------------------


def _user(username: str) -> User | None:
    return User.objects.select_related("provider", "region").filter(username=username).first()


def _approver(county: str) -> User | None:
    level = approval_level()
    if level == "province":
        return _user("demo_province")
    key = county[:4] if level == "city" else county
    return _user(APPROVERS.get(level, {}).get(key, ""))


def _provider(city: str) -> Provider | None:
    code = DEMO_PROVIDERS[PROVIDER_KEYS[city]][2]
    return Provider.objects.filter(credit_code=make_credit_code(code[:17])).first()


# --- persons -----------------------------------------------------------------------------------


def seed_roster_persons() -> int:
    """Register :data:`ROSTER_PERSONS` (through the registry's service); returns how many."""
    actor = _user("demo_county_furong")
    if actor is None:
        return 0
    created = 0
    regions, today = region_index(), timezone.localdate()
    for item in ROSTER_PERSONS:
        if Person.objects.filter(id_hash=id_hash_of(item.id_number)).exists():
            continue
        checked = check_person({
            "name": item.name, "id_number": item.id_number, "region": FURONG,
            "certificate_number": make_certificate_number(item.id_number, item.category,
                                                          item.grade),
            "employment_status": "unemployed"}, regions=regions, today=today)
        assert checked.values is not None, checked.errors
        person_create(actor=actor, values=checked.values)
        created += 1
    return created


def _reserved_hashes() -> list[str]:
    return [id_hash_of(item.id_number) for item in ROSTER_PERSONS]


def _candidates(training_class: TrainingClass) -> Iterator[Person]:
    """Persons of the class's county, then of its city, whose category the project serves."""
    base = Person.objects.filter(merged_into__isnull=True, user__isnull=True).exclude(
        id_hash__in=_reserved_hashes()).order_by("pk")
    categories = list(training_class.project.categories or "")
    if categories:
        base = base.filter(category__in=categories)
    code = training_class.region_code
    yield from base.filter(region_code=code).iterator(chunk_size=200)
    yield from base.filter(region_code__startswith=code[:4]).exclude(
        region_code=code).iterator(chunk_size=200)


def _pick(training_class: TrainingClass, count: int, used: set[int]) -> list[Person]:
    picked: list[Person] = []
    for person in _candidates(training_class):
        if len(picked) >= count:
            break
        if person.pk in used or eligibility_problems(training_class=training_class,
                                                     person=person):
            continue
        picked.append(person)
        used.add(person.pk)
    return picked


# --- evidence ----------------------------------------------------------------------------------


def inspection_photo(name: str = "现场检查照片.png") -> SimpleUploadedFile:
    """A small generated PNG: a "photo" of the classroom for an inspection's evidence."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (160, 100), (236, 242, 248))
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 60, 150, 90), fill=(90, 120, 160))  # desks
    for left in (20, 60, 100):
        draw.ellipse((left, 25, left + 25, 50), fill=(200, 150, 110))  # trainees
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# --- one class ---------------------------------------------------------------------------------


@dataclass
class _Actors:
    maker: User
    approver: User
    inspector: User | None
    trainee: Person | None
    evaluator: User | None


def _mark(trainee: int, day: int) -> str:
    turn = (trainee * 7 + day * 3) % 23
    if turn == 4:
        return AttendanceMark.ABSENT
    if turn == 9:
        return AttendanceMark.LATE
    if turn == 15:
        return AttendanceMark.EXCUSED
    return AttendanceMark.PRESENT


def _enrol(item: DemoClass, training_class: TrainingClass, actors: _Actors,
           used: set[int]) -> None:
    maker = actors.maker
    for name, employer, role in item.participants:
        enrol_participant(actor=maker, training_class=training_class, name=name,
                          employer=employer, role=role,
                          enrolled_on=training_class.start_date - timedelta(days=3))
    persons = []
    if item.with_trainee and actors.trainee is not None and not eligibility_problems(
            training_class=training_class, person=actors.trainee):
        persons.append(actors.trainee)
    persons += _pick(training_class, item.trainees - len(persons), used)
    for index, person in enumerate(persons):
        enrol_person(actor=maker, training_class=training_class, person=person,
                     enrolled_on=min(timezone.localdate(),
                                     training_class.start_date - timedelta(days=7 - index)))


def _run(item: DemoClass, training_class: TrainingClass, actors: _Actors) -> None:
    """While in progress: attendance of the first days, and an inspection."""
    active = list(training_class.enrolments.filter(status="enrolled").order_by("pk"))
    today = timezone.localdate()
    for day_index in range(item.attendance):
        day = training_class.start_date + timedelta(days=day_index)
        if day > min(today, training_class.end_date):
            break
        attendance_save(actor=actors.maker, training_class=training_class, day=day,
                        marks={e.pk: _mark(i, day_index) for i, e in enumerate(active)})
    inspector = actors.evaluator if item.evaluator else actors.inspector
    if item.inspect and inspector is not None:
        inspection_record(
            actor=inspector, training_class=training_class,
            inspected_on=min(today, training_class.start_date + timedelta(days=1)),
            inspector=inspector.display_name, rating=InspectionRating.GOOD,
            findings="到课学员与花名册一致，签到表完整；教室有无障碍通道，手语翻译在岗。"
                     "建议增加实操课时，并为低视力学员提供大字版讲义。",
            files=[inspection_photo()])


def _results(item: DemoClass, training_class: TrainingClass, actors: _Actors) -> None:
    active = list(training_class.enrolments.filter(status="enrolled").order_by("pk"))
    if item.results == "none":
        return
    if item.results == "some":
        active = active[: max(len(active) // 2, 1)]
    for index, enrolment in enumerate(active):
        passed = index < len(active) - item.failed or enrolment.person_id == getattr(
            actors.trainee, "pk", None)
        score = Decimal(72 + (index * 7) % 25) if passed else Decimal("52.5")
        days = training_class.days - (1 if index % 4 == 3 else 0)
        results_record(actor=actors.maker, enrolment=enrolment, passed=passed, score=score,
                       attendance_days=days)


def _cancel(item: DemoClass, training_class: TrainingClass, actors: _Actors,
            used: set[int]) -> TrainingClass:
    if item.cancel_after != S.DRAFT:
        training_class = svc.class_submit(actor=actors.maker, training_class=training_class)
    if item.cancel_after == S.APPROVED:
        training_class = svc.class_approve(actor=actors.approver, training_class=training_class)
        _enrol(item, training_class, actors, used)
    return svc.class_cancel(actor=actors.maker, training_class=training_class,
                            reason=item.comment)


def first_day(item: DemoClass) -> date:
    return timezone.localdate() + timedelta(days=item.start)


def class_name(item: DemoClass) -> str:
    """The class's name, with the year of its first day where the name has one."""
    return item.name.format(year=first_day(item).year)


def _values(item: DemoClass, project: TrainingProject, provider: Provider,
            region: Region) -> ClassValues:
    start = first_day(item)
    days = min(project.days, item.span + 1)
    return ClassValues(
        name=class_name(item), project=project, provider=provider, region=region, start_date=start,
        end_date=start + timedelta(days=item.span), days=days,
        hours=min(project.hours, days * 8), venue=item.venue,
        venue_accessible=True, venue_accessibility_note="无障碍出入口、电梯和同层无障碍卫生间",
        capacity=item.capacity, teachers=item.teachers, accommodations=int(item.accommodations),
        budget=Decimal(item.budget))


def _seed_class(item: DemoClass, actors: _Actors, project: TrainingProject, provider: Provider,
                used: set[int]) -> TrainingClass:
    maker, approver = actors.maker, actors.approver
    training_class = svc.class_create(
        actor=maker, values=_values(item, project, provider, provider.region))
    if item.status == S.CANCELLED:
        return _cancel(item, training_class, actors, used)
    target = PATH.index(S(item.status)) if item.status != S.RETURNED else 1
    if target >= 1:
        training_class = svc.class_submit(actor=maker, training_class=training_class)
    if item.status == S.RETURNED:
        return svc.class_return(actor=approver, training_class=training_class,
                                comment=item.comment)
    if target >= 2:
        training_class = svc.class_approve(actor=approver, training_class=training_class,
                                           comment="同意开班，请按计划组织实施。")
        _enrol(item, training_class, actors, used)
        if item.evaluator and actors.evaluator is not None:
            svc.class_assign_evaluator(actor=approver, training_class=training_class,
                                       evaluator=actors.evaluator)
    if target >= 3:
        training_class = svc.class_start(actor=maker, training_class=training_class)
        _run(item, training_class, actors)
    if target >= 4:
        training_class = svc.class_end(actor=maker, training_class=training_class)
        _results(item, training_class, actors)
    if target >= 5 and not training_class.enrolments.filter(status="enrolled").exists():
        return training_class  # too few demo persons (``seed_demo --persons``): stop here
    if target >= 5:
        training_class = svc.class_submit_completion(actor=maker, training_class=training_class)
    if target >= 6:
        training_class = svc.class_approve_completion(
            actor=approver, training_class=training_class, comment="结业材料齐全，同意结业。")
    if target >= 7:
        training_class = svc.class_close(actor=maker, training_class=training_class)
    return training_class


def _actors(city: str, county: str) -> _Actors | None:
    maker, approver = _user(MAKERS[city]), _approver(county)
    if maker is None or approver is None:
        return None
    trainee_user = _user(TRAINEE_USERNAME)
    trainee = Person.objects.filter(user=trainee_user).first() if trainee_user else None
    return _Actors(maker=maker, approver=approver, inspector=_user(INSPECTORS.get(county, "")),
                   trainee=trainee, evaluator=_user(EVALUATOR_USERNAME))


@transaction.atomic
def seed_classes() -> int:
    """Create the demo classes that are not there yet; returns how many were created."""
    seed_roster_persons()
    created = 0
    used: set[int] = set()
    for item in CLASSES:
        provider = _provider(item.city)
        if provider is None or TrainingClass.objects.filter(
                provider=provider, name=class_name(item)).exists():
            continue
        project = TrainingProject.objects.filter(
            name=item.project, status=ProjectStatus.PUBLISHED, providers=provider).first()
        actors = _actors(item.city, provider.region_code)
        if project is None or actors is None:
            continue
        _seed_class(item, actors, project, provider, used)
        created += 1
    return created
