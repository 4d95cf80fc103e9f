"""Template 2, the class roster (KIND ``enrolments``): messy files, scope, eligibility,
registration in the same pass, idempotence, and that a rejected row writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation

from skillplan.audit.models import AuditEvent
from skillplan.core.disability import make_certificate_number
from skillplan.core.idnumber import make_id_number
from skillplan.core.imports.engine import ImportResult, run_import
from skillplan.core.imports.reader import FileRefused
from skillplan.core.imports.registry import get_template
from skillplan.people.models import Person
from skillplan.people.rules import check_person
from skillplan.people.services import id_hash_of, person_create
from skillplan.regions.selectors import region_index
from skillplan.training.choices import ClassStatus, EnrolmentStatus
from skillplan.training.models import Enrolment, TrainingClass
from skillplan.training.services.enrolments import enrol_person
from tests.training.factories import make_class, make_person, make_project, user
from tests.training.files import UNKNOWN_CLASS, UNREGISTERED_ID, write_messy_roster, write_roster

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.FILES_DIR = tmp_path / "files"
    with translation.override("en"):
        yield


def run(path: Path, username: str, *, dry_run: bool = False, configure: Any = None
        ) -> ImportResult:
    template = get_template("enrolments")
    assert template is not None
    if configure is not None:
        template.configure(training_class=configure.pk)  # type: ignore[attr-defined]
    return run_import(template, path, actor=user(username), dry_run=dry_run)


def codes(result: ImportResult) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for error in result.errors:
        found.setdefault(error.row, set()).add(error.code)
    return found


def counts(result: ImportResult) -> tuple[int, int, int, int, int]:
    return (result.rows, result.created, result.updated, result.unchanged, result.rejected)


def person_with_x(region: str = "430102") -> Person:
    """A registered person whose ID number ends in X (to be typed as a lowercase x)."""
    for seq in range(1000):
        number = make_id_number(region, dt.date(1988, 8, 8), seq)
        if number.endswith("X") and not Person.objects.filter(
                id_hash=id_hash_of(number)).exists():
            break
    checked = check_person({"name": "赵六", "id_number": number, "region": region,
                            "certificate_number": make_certificate_number(number, 4, 2)},
                           regions=region_index(), today=timezone.localdate())
    assert checked.values is not None
    return person_create(actor=user("demo_province"), values=checked.values)


def active(training_class: TrainingClass) -> list[Enrolment]:
    return list(training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED))


def open_class(**kwargs: Any) -> TrainingClass:
    return make_class(status=ClassStatus.APPROVED, **kwargs)


def test_a_messy_roster_enrols_the_good_rows_and_rejects_each_bad_one(tmp_path: Path) -> None:
    training_class = open_class()
    persons = [make_person(name="张三"), make_person(name="李四"), person_with_x()]
    expected = write_messy_roster(tmp_path / "学员名单.xlsx", training_class.code, persons)
    people_before = Person.objects.count()

    result = run(tmp_path / "学员名单.xlsx", "demo_provider")

    assert counts(result) == (expected["rows"], 3, 0, 0, expected["rejected"]) == (
        7, 3, 0, 0, 4)
    assert {row: code for row, found in codes(result).items() for code in found} == (
        expected["errors"])
    assert sorted(e.person_id for e in active(training_class)) == sorted(p.pk for p in persons)
    training_class.refresh_from_db()
    assert training_class.enrolled_count == 3
    assert Person.objects.count() == people_before  # the unregistered row registered nobody
    assert not Person.objects.filter(id_hash=id_hash_of(UNREGISTERED_ID)).exists()
    assert AuditEvent.objects.filter(event="enrolment.created").count() == 3
    messages = {error.code: error.message for error in result.errors}
    assert "lost" in messages["id_mangled"] or "scientific" in messages["id_mangled"]
    assert UNKNOWN_CLASS in messages["class_unknown"]
    assert {e.column for e in result.errors if e.code == "class_unknown"} == {"班级编号"}


def test_importing_the_same_roster_again_changes_nothing(tmp_path: Path) -> None:
    training_class = open_class()
    persons = [make_person(), make_person()]
    expected = write_messy_roster(tmp_path / "r.xlsx", training_class.code, persons)
    run(tmp_path / "r.xlsx", "demo_provider")
    events = AuditEvent.objects.count()

    again = run(tmp_path / "r.xlsx", "demo_provider")

    assert counts(again) == (expected["rows"], 0, 0, 2, expected["rejected"])
    assert len(active(training_class)) == 2
    assert AuditEvent.objects.count() == events


def test_a_dry_run_counts_like_the_import_and_writes_nothing(tmp_path: Path) -> None:
    training_class = open_class()
    expected = write_messy_roster(tmp_path / "r.xlsx", training_class.code,
                                  [make_person(), make_person()])
    events = AuditEvent.objects.count()

    checked = run(tmp_path / "r.xlsx", "demo_provider", dry_run=True)

    assert counts(checked) == (expected["rows"], 2, 0, 0, expected["rejected"])
    assert not active(training_class)
    training_class.refresh_from_db()
    assert training_class.enrolled_count == 0 and AuditEvent.objects.count() == events


def test_a_federation_clerk_cannot_enrol_a_person_of_another_area(tmp_path: Path) -> None:
    training_class = open_class()
    local, outside = make_person(region="430102"), make_person(region="433101")
    expected = write_messy_roster(tmp_path / "r.xlsx", training_class.code, [local],
                                  outside=outside)

    result = run(tmp_path / "r.xlsx", "demo_county_furong")

    assert counts(result) == (expected["rows"], 1, 0, 0, expected["rejected"])
    unregistered_row, outside_row = sorted(
        row for row, code in expected["errors"].items() if code == "person_unknown")
    assert codes(result)[outside_row] == {"person_unknown"}
    unregistered = next(e for e in result.errors if e.row == unregistered_row)
    assert next(e for e in result.errors if e.row == outside_row).message == (
        unregistered.message)  # the same answer as for nobody: nothing leaks
    assert [e.person_id for e in active(training_class)] == [local.pk]


def test_a_class_outside_the_importers_scope_is_unknown_like_a_missing_one(
        tmp_path: Path) -> None:
    mine = open_class()
    theirs = open_class(provider=user("demo_provider_xiangxi").provider)
    person = make_person()
    path = write_roster(tmp_path / "r.xlsx", [[theirs.code, person.id_number, "", ""],
                                              [UNKNOWN_CLASS, person.id_number, "", ""]])

    result = run(path, "demo_provider")

    assert counts(result) == (2, 0, 0, 0, 2)
    assert {e.code for e in result.errors} == {"class_unknown"}
    assert not Enrolment.objects.filter(training_class__in=[mine, theirs]).exists()


def test_a_class_not_taking_enrolments_gives_class_state(tmp_path: Path) -> None:
    draft = make_class(status=ClassStatus.DRAFT)
    person = make_person()
    path = write_roster(tmp_path / "r.xlsx", [[draft.code, person.id_number, "", ""]])

    result = run(path, "demo_provider")

    assert [(e.code, e.column) for e in result.errors] == [("class_state", "班级编号")]
    assert "approval" in result.errors[0].message
    assert not Enrolment.objects.exists()


def test_eligibility_problems_are_reported_per_row(tmp_path: Path) -> None:
    project = make_project(categories="4", days=10)
    training_class = make_class(status=ClassStatus.APPROVED, project=project, capacity=2)
    ok = make_person(category="4")
    blind = make_person(category="1")
    old = make_person(category="4", birth=dt.date(1940, 1, 1))
    busy = make_person(category="4")
    other = make_class(status=ClassStatus.APPROVED, project=project,
                       start=training_class.start_date, end=training_class.end_date)
    enrol_person(actor=user("demo_provider"), training_class=other, person=busy)
    late_comers = [make_person(category="4"), make_person(category="4")]
    rows = [[training_class.code, p.id_number, "", ""]
            for p in (ok, blind, old, busy, *late_comers)]

    result = run(write_roster(tmp_path / "r.xlsx", rows), "demo_provider")

    assert codes(result) == {3: {"category_not_served"}, 4: {"age_out_of_range"},
                             5: {"class_overlap"}, 7: {"class_full"}}
    assert counts(result) == (6, 2, 0, 0, 4)
    assert sorted(e.person_id for e in active(training_class)) == sorted(
        [ok.pk, late_comers[0].pk])


def test_the_name_must_match_the_registered_person(tmp_path: Path) -> None:
    training_class = open_class()
    person = make_person(name="王小明")
    path = write_roster(tmp_path / "r.xlsx", [
        [training_class.code, person.id_number, "", "王晓明"],
        [training_class.code, make_person(name="陈 红").id_number, "", " 陈红 "]])

    result = run(path, "demo_provider")

    assert [(e.row, e.code, e.column) for e in result.errors] == [(2, "name_mismatch", "姓名")]
    assert result.created == 1


REGISTRATION_HEADERS = ["班级编号", "身份证号", "姓名", "残疾人证号", "户籍地", "报名日期"]


def _new_person_row(training_class: TrainingClass, seq: int, **changes: Any) -> list[Any]:
    number = changes.pop("id_number", None) or make_id_number("430102", dt.date(1990, 6, 1),
                                                              seq)
    row = {"班级编号": training_class.code, "身份证号": number, "姓名": "新学员",
           "残疾人证号": make_certificate_number(number, changes.pop("category", 4), 2),
           "户籍地": "长沙市芙蓉区", "报名日期": "2025-03-02", **changes}
    return [row[header] for header in REGISTRATION_HEADERS]


def test_a_federation_clerk_registers_and_enrols_new_persons_in_one_pass(
        tmp_path: Path) -> None:
    training_class = open_class()
    path = write_roster(tmp_path / "r.xlsx", [_new_person_row(training_class, 501),
                                              _new_person_row(training_class, 503)],
                        headers=REGISTRATION_HEADERS)

    result = run(path, "demo_county_furong")

    assert counts(result) == (2, 2, 0, 0, 0)
    enrolled = active(training_class)
    assert len(enrolled) == 2 and {e.person.name for e in enrolled} == {"新学员"}
    assert enrolled[0].enrolled_on == dt.date(2025, 3, 2)
    assert AuditEvent.objects.filter(event="person.created").count() >= 2
    assert counts(run(path, "demo_county_furong")) == (2, 0, 0, 2, 0)  # idempotent


def test_a_row_that_registers_a_person_but_cannot_enrol_them_leaves_no_person(
        tmp_path: Path) -> None:
    project = make_project(categories="4")
    training_class = make_class(status=ClassStatus.APPROVED, project=project, capacity=1)
    blind = _new_person_row(training_class, 511, category=1)  # not served by the project
    too_many = _new_person_row(training_class, 515)
    path = write_roster(tmp_path / "r.xlsx", [_new_person_row(training_class, 513), blind,
                                              too_many], headers=REGISTRATION_HEADERS)
    persons_before = Person.objects.count()

    result = run(path, "demo_county_furong")

    assert codes(result) == {3: {"category_not_served"}, 4: {"class_full"}}
    assert Person.objects.count() == persons_before + 1  # only the enrolled one is registered
    for row in (blind, too_many):
        assert not Person.objects.filter(id_hash=id_hash_of(row[1])).exists()
    assert AuditEvent.objects.filter(event="person.created").count() == 1


def test_invalid_person_columns_are_reported_like_in_the_persons_import(
        tmp_path: Path) -> None:
    training_class = open_class()
    bad_cert = _new_person_row(training_class, 521)
    bad_cert[3] = "123"
    no_region = _new_person_row(training_class, 523, 户籍地="火星区")
    path = write_roster(tmp_path / "r.xlsx", [bad_cert, no_region],
                        headers=REGISTRATION_HEADERS)

    result = run(path, "demo_county_furong")

    assert codes(result) == {2: {"cert_format"}, 3: {"region_unknown"}}
    assert not Enrolment.objects.exists()


def test_a_provider_cannot_register_persons_through_the_roster(tmp_path: Path) -> None:
    training_class = open_class()
    row = _new_person_row(training_class, 531)
    path = write_roster(tmp_path / "r.xlsx", [row], headers=REGISTRATION_HEADERS)

    result = run(path, "demo_provider")

    assert [e.code for e in result.errors] == ["person_unknown"]
    assert "federation" in result.errors[0].message
    assert not Person.objects.filter(id_hash=id_hash_of(row[1])).exists()


def test_a_roster_for_one_class_needs_no_class_column_and_refuses_other_classes(
        tmp_path: Path) -> None:
    training_class, other = open_class(), open_class()
    first, second = make_person(), make_person()
    plain = write_roster(tmp_path / "plain.xlsx", [[first.name, first.id_number]],
                         headers=["姓名", "身份证号"])
    mixed = write_roster(tmp_path / "mixed.xlsx", [[training_class.code, second.id_number],
                                                   [other.code, second.id_number]],
                         headers=["班级编号", "身份证号"])

    assert counts(run(plain, "demo_provider", configure=training_class)) == (1, 1, 0, 0, 0)
    result = run(mixed, "demo_provider", configure=training_class)

    assert codes(result) == {3: {"class_unknown"}}
    assert other.code in result.errors[0].message
    assert not other.enrolments.exists()
    assert len(active(training_class)) == 2


def test_without_the_class_column_a_general_roster_is_refused_as_a_whole(
        tmp_path: Path) -> None:
    person = make_person()
    path = write_roster(tmp_path / "r.xlsx", [[person.name, person.id_number]],
                        headers=["姓名", "身份证号"])
    with pytest.raises(FileRefused) as refused:
        run(path, "demo_provider")
    assert "班级编号" in refused.value.message
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(FileRefused):
        run(broken, "demo_provider")
    assert not Enrolment.objects.exists()


def test_only_users_who_run_classes_may_import_rosters() -> None:
    from django.core.exceptions import PermissionDenied

    template = get_template("enrolments")
    assert template is not None
    for username in ("demo_trainee", "demo_evaluator", "demo_partner", "demo_sysadmin"):
        with pytest.raises(PermissionDenied):
            template.check_actor(user(username))
    for username in ("demo_provider", "demo_county_furong", "demo_province"):
        template.check_actor(user(username))


def test_after_the_class_has_ended_its_trainees_are_unchanged_and_newcomers_refused(
        tmp_path: Path) -> None:
    end = timezone.localdate() - dt.timedelta(days=1)
    training_class = make_class(status=ClassStatus.ENDED, trainees=1,
                                start=end - dt.timedelta(days=9), end=end)
    (trainee,) = active(training_class)
    assert trainee.person is not None
    newcomer = make_person()
    path = write_roster(tmp_path / "r.xlsx", [
        [training_class.code, trainee.person.id_number, "", ""],
        [training_class.code, newcomer.id_number, "", ""]])

    result = run(path, "demo_provider")

    assert counts(result) == (2, 0, 0, 1, 1)
    assert codes(result) == {3: {"class_state"}}


def test_employer_training_takes_no_persons_from_a_roster(tmp_path: Path) -> None:
    from skillplan.catalog.choices import TrainingType

    training_class = make_class(status=ClassStatus.APPROVED, training_type=TrainingType.EMPLOYER)
    path = write_roster(tmp_path / "r.xlsx", [[training_class.code, make_person().id_number,
                                               "", ""]])

    result = run(path, "demo_provider")

    assert [(e.code, e.column) for e in result.errors] == [("not_allowed", "班级编号")]
    assert "Employer" in result.errors[0].message
    assert not training_class.enrolments.exists()
