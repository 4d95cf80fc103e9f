"""Shared factories of the training tests: published projects, classes in any status (made
through the services, step by step, as people would), and registered persons with valid IDs.

Every helper's tests import these; keep the names and keyword arguments stable:
``make_project(...)``, ``make_class(*, provider=None, status=ClassStatus.DRAFT, capacity=30,
training_type=None, start=None, end=None, ...)``, ``make_person(...)``, plus
``staff(role, region_code)`` (a second clerk, e.g. for maker-checker) and
``approver_for(training_class)`` (a user of the configured approval level who did not prepare
the class).
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from skillplan.accounts.models import User
from skillplan.accounts.roles import Role
from skillplan.catalog import services as catalog_services
from skillplan.catalog.choices import TrainingType
from skillplan.catalog.models import TrainingProject
from skillplan.catalog.rules import ProjectValues
from skillplan.core.disability import make_certificate_number
from skillplan.core.idnumber import make_id_number
from skillplan.people.models import Person
from skillplan.people.rules import check_person
from skillplan.people.services import person_create
from skillplan.providers.models import Provider
from skillplan.regions.models import Region
from skillplan.regions.selectors import region_index
from skillplan.training.choices import ClassStatus
from skillplan.training.models import TrainingClass, approval_level

# Demo accounts (tests/conftest.py seeds them).
PROVIDER_STAFF = {"430102": "demo_provider", "433101": "demo_provider_xiangxi"}
CITY_CLERKS = {"4301": "demo_city_changsha", "4331": "demo_city_xiangxi"}
COUNTY_CLERKS = {"430102": "demo_county_furong", "433101": "demo_county_jishou"}

# What a valid project of each training type needs besides the common fields.
_TYPE_DEFAULTS: dict[str, dict[str, str]] = {
    TrainingType.EMPLOYMENT: {"sub_type": "services", "occupation_code": "4-03-02-02",
                              "occupation_name": "中式面点师"},
    TrainingType.RURAL: {"sub_type": "planting"},
    TrainingType.MASSAGE: {"occupation_code": "4-10-04-02", "occupation_name": "保健按摩师"},
    TrainingType.SPECIAL: {"sub_type": "folk_art"},
    TrainingType.ON_THE_JOB: {"sub_type": "in_job", "occupation_code": "4-02-02-01",
                              "occupation_name": "物流服务师"},
    TrainingType.ENTREPRENEURSHIP: {"sub_type": "startup_skills"},
    TrainingType.HIGH_SKILL: {"occupation_code": "6-18-01-01", "occupation_name": "电工"},
    TrainingType.EMPLOYER: {},
    TrainingType.SERVICE_STAFF: {},
}

_numbers = itertools.count(1)


def user(username: str) -> User:
    return User.objects.select_related("region", "provider").get(username=username)


def staff(role: str, region_code: str, *, suffix: str = "2") -> User:
    """A (second) staff account of ``role`` in ``region_code``, made on first use."""
    username = f"t_{role}_{region_code}_{suffix}"
    found = User.objects.filter(username=username).first()
    if found is not None:
        return found
    account = User(username=username, full_name=f"测试{role}{suffix}", role=role,
                   region=Region.objects.get(code=region_code))
    account.set_unusable_password()
    account.save()
    return account


def demo_provider(key: str = "430102") -> Provider:
    """The demo provider of 芙蓉区 (``"430102"``) or of 吉首 (``"433101"``)."""
    provider = user(PROVIDER_STAFF[key]).provider
    assert provider is not None
    return provider


def provider_user(provider: Provider) -> User:
    """A staff account of ``provider`` (the demo one, or a new one)."""
    found = User.objects.filter(provider=provider, role=Role.PROVIDER, is_active=True).first()
    if found is not None:
        return found
    account = User(username=f"t_provider_{provider.pk}", full_name="测试机构老师",
                   role=Role.PROVIDER, region=provider.region, provider=provider)
    account.set_unusable_password()
    account.save()
    return account


# --- projects ------------------------------------------------------------------------------


def make_project(*, provider: Provider | None = None, providers: list[Provider] | None = None,
                 region: str | None = None, training_type: str = TrainingType.EMPLOYMENT,
                 status: str = "published", days: int = 10, hours: int = 60,
                 categories: str = "1234567", name: str | None = None, **overrides: Any
                 ) -> TrainingProject:
    """A catalog project (published by default) that ``provider`` (the 芙蓉区 demo provider by
    default) may run; ``region`` is the project's city (the provider's) or ``"43"``."""
    if providers is None:
        providers = [provider or demo_provider()]
    if region is None:
        region = providers[0].region_code[:4] if providers else "4301"
    maker = user("demo_province") if region == "43" else (
        user(CITY_CLERKS[region]) if region in CITY_CLERKS else staff(Role.CITY, region))
    reviewer = staff(Role.PROVINCE, "43") if maker.username == "demo_province" else (
        user("demo_province"))
    fields: dict[str, Any] = {
        "name": name or f"测试培训项目{next(_numbers)}", "training_type": training_type,
        "days": days, "hours": hours, "delivery": "offline", "fee_standard": Decimal("1800"),
        "categories": list(categories), "accommodations": 16,
        "region": Region.objects.get(code=region), "providers": providers,
        **_TYPE_DEFAULTS[training_type],
    }
    fields.update(overrides)
    project = catalog_services.project_create(actor=maker, values=ProjectValues(**fields))
    if status != "draft":
        catalog_services.project_submit(actor=maker, project=project)
    if status in ("published", "withdrawn"):
        catalog_services.project_publish(actor=reviewer, project=project)
    if status == "withdrawn":
        catalog_services.project_withdraw(actor=reviewer, project=project, reason="测试撤回")
    if status == "returned":
        catalog_services.project_return(actor=reviewer, project=project, comment="请补充")
    project.refresh_from_db()
    return project


# --- persons -------------------------------------------------------------------------------


def make_person(*, region: str = "430102", birth: date | None = None, category: str = "4",
                grade: str = "3", name: str = "张三", gender: str = "", actor: User | None = None,
                **extra: Any) -> Person:
    """A registered person with a valid, unique ID and certificate number, household in
    ``region`` (a county code). ``gender`` "M"/"F" picks the ID's sequence parity."""
    number = next(_numbers)
    birth = birth or date(1985, 1, 1) + timedelta(days=number // 500)
    seq = (number * 2) % 1000
    if gender == "M":
        seq = seq + 1 if seq < 999 else 1
    id_number = make_id_number(region, birth, seq)
    raw = {"name": name, "id_number": id_number, "region": region,
           "certificate_number": make_certificate_number(id_number, category, grade), **extra}
    checked = check_person(raw, regions=region_index(), today=timezone.localdate())
    assert checked.values is not None, checked.errors
    return person_create(actor=actor or user("demo_province"), values=checked.values)


# --- classes -------------------------------------------------------------------------------


def class_values(*, project: TrainingProject, provider: Provider, region: Region | None = None,
                 start: date | None = None, end: date | None = None, capacity: int = 30,
                 **overrides: Any) -> Any:
    """The values of a class form (``rules.ClassValues``)."""
    from skillplan.training.rules import ClassValues

    start = start or timezone.localdate() - timedelta(days=20)
    end = end or start + timedelta(days=max(project.days, 1) - 1)
    days = min(project.days, (end - start).days + 1)
    fields: dict[str, Any] = {
        "name": f"{project.name}（第{next(_numbers)}期）", "project": project,
        "provider": provider, "region": region or provider.region, "start_date": start,
        "end_date": end, "days": days, "hours": min(project.hours, days * 8),
        "venue": "芙蓉区培训中心三楼", "venue_accessible": True, "capacity": capacity,
        "teachers": "李老师 面点制作", "accommodations": 16, "budget": Decimal("30000"),
    }
    fields.update(overrides)
    return ClassValues(**fields)


def approver_for(training_class: TrainingClass) -> User:
    """A user of the configured approval level over the class who did not prepare it."""
    level = approval_level()
    code = training_class.region_code
    candidates = {
        Role.PROVINCE: ["demo_province"],
        Role.CITY: [CITY_CLERKS.get(code[:4], "")],
        Role.COUNTY: [COUNTY_CLERKS.get(code, "")],
    }[level]
    region = {"province": "43", "city": code[:4], "county": code}[level]
    for username in candidates:
        found = User.objects.filter(username=username).first()
        if found is not None and not training_class.prepared_by(found) and (
                found.pk != training_class.completion_submitted_by_id):
            return found
    return staff(level, region)


_ORDER = [ClassStatus.DRAFT, ClassStatus.SUBMITTED, ClassStatus.APPROVED,
          ClassStatus.IN_PROGRESS, ClassStatus.ENDED, ClassStatus.COMPLETION_SUBMITTED,
          ClassStatus.COMPLETION_APPROVED, ClassStatus.CLOSED]


def _enrol(training_class: TrainingClass, actor: User, count: int) -> None:
    from skillplan.training.services import enrolments

    for _number in range(count):
        if training_class.enrols_non_registered:
            enrolments.enrol_participant(actor=actor, training_class=training_class,
                                         name="王五", employer="长沙某公司", role="人事专员")
        else:
            enrolments.enrol_person(actor=actor, training_class=training_class,
                                    person=make_person(region=training_class.region_code))


def _results(training_class: TrainingClass, actor: User) -> None:
    from skillplan.training.services.results import results_record

    for enrolment in training_class.enrolments.filter(status="enrolled"):
        results_record(actor=actor, enrolment=enrolment, passed=True, score=Decimal("85"),
                       attendance_days=training_class.days)


def make_class(*, provider: Provider | None = None, status: str = ClassStatus.DRAFT,
               capacity: int = 30, training_type: str | None = None, start: date | None = None,
               end: date | None = None, project: TrainingProject | None = None,
               actor: User | None = None, trainees: int | None = None,
               reason: str = "场地无法使用", **overrides: Any) -> TrainingClass:
    """A class of ``provider`` (the 芙蓉区 demo provider by default) brought to ``status``
    through the services: created (by the provider's staff unless ``actor`` is given),
    submitted, approved by :func:`approver_for`, started, ended …

    ``trainees``: how many to enrol while it is open (persons, or named participants for
    employer and service-staff training; through the enrolment helper's services). Statuses
    from completion on need at least one and default to one; their results (all passed) are
    recorded through the results service. Dates default to a class that started 20 days ago
    (so it can be started and ended today). ``RETURNED`` is returned with a comment;
    ``CANCELLED`` is cancelled as a draft with ``reason``.
    """
    from skillplan.training.services import classes as svc

    provider = provider or (project.providers.first() if project is not None else None) or (
        demo_provider())
    if project is None:
        project = make_project(provider=provider,
                               training_type=training_type or TrainingType.EMPLOYMENT)
    actor = actor or provider_user(provider)
    values = class_values(project=project, provider=provider, start=start, end=end,
                          capacity=capacity, **overrides)
    training_class = svc.class_create(actor=actor, values=values)
    if status == ClassStatus.CANCELLED:
        return svc.class_cancel(actor=actor, training_class=training_class, reason=reason)
    if status != ClassStatus.DRAFT:
        training_class = svc.class_submit(actor=actor, training_class=training_class)
    if status == ClassStatus.RETURNED:
        return svc.class_return(actor=approver_for(training_class),
                                training_class=training_class, comment="请补充师资情况")
    target = _ORDER.index(ClassStatus(status))
    needs_results = target >= _ORDER.index(ClassStatus.COMPLETION_SUBMITTED)
    if trainees is None:
        trainees = 1 if needs_results else 0
    if target >= _ORDER.index(ClassStatus.APPROVED):
        training_class = svc.class_approve(actor=approver_for(training_class),
                                           training_class=training_class)
        _enrol(training_class, actor, trainees)
    if target >= _ORDER.index(ClassStatus.IN_PROGRESS):
        training_class = svc.class_start(actor=actor, training_class=training_class)
    if target >= _ORDER.index(ClassStatus.ENDED):
        training_class = svc.class_end(actor=actor, training_class=training_class)
    if needs_results:
        _results(training_class, actor)
        training_class = svc.class_submit_completion(actor=actor, training_class=training_class)
    if target >= _ORDER.index(ClassStatus.COMPLETION_APPROVED):
        training_class = svc.class_approve_completion(actor=approver_for(training_class),
                                                      training_class=training_class)
    if target >= _ORDER.index(ClassStatus.CLOSED):
        training_class = svc.class_close(actor=actor, training_class=training_class)
    training_class.refresh_from_db()
    return training_class
