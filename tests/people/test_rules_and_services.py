"""The shared person rules and the write services."""

from __future__ import annotations

from datetime import date

import pytest

from skillplan.core.disability import make_certificate_number
from skillplan.core.errors import ConcurrentUpdateError, RuleError
from skillplan.core.idnumber import make_id_number
from skillplan.people.models import Person
from skillplan.people.rules import check_person
from skillplan.people.services import (
    id_hash_of,
    person_create,
    person_reveal,
    person_update,
    persons_import_batch,
)
from skillplan.regions.selectors import region_index

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 29)
ID = make_id_number("430102", date(1990, 5, 17), 123)  # seq 123: odd → male


def raw(**extra) -> dict:
    data = {"name": "张三", "id_number": ID, "region": "芙蓉区",
            "certificate_number": make_certificate_number(ID, 4, 2)}
    data.update(extra)
    return data


def check(**extra):
    return check_person(raw(**extra), regions=region_index(), today=TODAY)


def codes(result) -> set[str]:
    return {problem.code for problem in result.errors}


def test_a_complete_row_derives_gender_birth_category_and_grade():
    result = check(category="肢体残疾", grade="二级", gender="男", birth_date="1990年5月17日")
    assert not result.errors
    values = result.values
    assert (values.gender, values.birth_date, values.category, values.grade) == (
        "M", date(1990, 5, 17), "4", "2")
    assert values.region.code == "430102"


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"category": "视力"}, "category_mismatch"),
        ({"grade": "一级"}, "grade_mismatch"),
        ({"gender": "女"}, "gender_mismatch"),
        ({"birth_date": "1990-05-18"}, "birthdate_mismatch"),
        ({"category": "残疾"}, "category_invalid"),
        ({"region": "火星区"}, "region_unknown"),
        ({"phone": "12345"}, "phone_format"),
        ({"ethnicity": "精灵族"}, "enum_invalid"),
        ({"education": "幼儿园"}, "enum_invalid"),
        ({"birth_date": "1990-02-30"}, "date_format"),
        ({"id_number": 4.30102e17}, "id_mangled"),
        ({"id_number": ID[:-1] + ("0" if ID[-1] != "0" else "1")}, "id_checksum"),
        ({"certificate_number": make_certificate_number(
            make_id_number("430102", date(1991, 5, 17), 123), 4, 2)}, "cert_id_mismatch"),
        ({"name": ""}, "required"),
    ],
)
def test_each_problem_has_its_code(extra, code):
    assert code in codes(check(**extra))


def test_lowercase_x_and_full_width_digits_are_accepted():
    number = make_id_number("430102", date(1985, 1, 2), 7)
    shaped = number.lower().translate({ord(c): chr(ord(c) + 0xFEE0) for c in "0123456789"})
    result = check(id_number=shaped, certificate_number=make_certificate_number(number, 1, 1))
    assert not result.errors and result.values.id_number == number


def test_person_is_stored_encrypted_and_found_by_hash(persona):
    clerk = persona("demo_county_furong")
    person = person_create(actor=clerk, values=check(phone="13812341234").values)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM people_person WHERE id = %s", [person.pk])
        stored_id, stored_phone = cursor.fetchone()
    assert ID not in stored_id and "13812341234" not in stored_phone
    assert Person.objects.get(id_hash=id_hash_of(ID)).id_number == ID


def test_one_id_number_is_one_person(persona):
    clerk = persona("demo_county_furong")
    person_create(actor=clerk, values=check().values)
    with pytest.raises(RuleError) as error:
        person_create(actor=clerk, values=check(name="张三丰").values)
    assert error.value.code == "person_exists"


def test_county_clerk_cannot_register_in_another_county(persona):
    with pytest.raises(RuleError) as error:
        person_create(actor=persona("demo_county_jishou"), values=check().values)
    assert error.value.code == "region_out_of_scope"
    assert not Person.objects.exists()


def test_update_records_masked_before_and_after(persona):
    from skillplan.audit.models import AuditEvent

    clerk = persona("demo_county_furong")
    person = person_create(actor=clerk, values=check(phone="13812341234").values)
    person_update(actor=clerk, person=person, values=check(phone="13900001111").values,
                  expected_version=1)
    event = AuditEvent.objects.get(event="person.updated", target_id=str(person.pk))
    assert event.before == {"phone": "138****1234"} and event.after == {"phone": "139****1111"}
    with pytest.raises(ConcurrentUpdateError):
        person_update(actor=clerk, person=Person.objects.get(pk=person.pk),
                      values=check(phone="13700000000").values, expected_version=1)


def test_reveal_needs_permission_and_reason_and_is_logged(persona):
    from django.core.exceptions import PermissionDenied

    from skillplan.audit.models import AuditEvent

    clerk = persona("demo_county_furong")
    person = person_create(actor=clerk, values=check().values)
    with pytest.raises(RuleError):
        person_reveal(actor=clerk, person=person, reason="")
    with pytest.raises(PermissionDenied):
        person_reveal(actor=persona("demo_county_jishou"), person=person, reason="核对")
    shown = person_reveal(actor=clerk, person=person, reason="核对身份")
    assert shown["id_number"] == ID
    assert AuditEvent.objects.filter(event="person.revealed", target_id=str(person.pk)).count() == 1


def test_bulk_import_creates_then_is_idempotent(persona):
    clerk = persona("demo_county_furong")
    rows = []
    for seq in range(1, 40):
        number = make_id_number("430102", date(1980, 1, 1 + seq % 28), seq)
        rows.append((seq + 1, check(id_number=number, name=f"人员{seq}",
                                    certificate_number=make_certificate_number(number, 2, 3)
                                    ).values))
    first = persons_import_batch(actor=clerk, rows=rows)
    assert (first.created, first.updated, first.unchanged) == (39, 0, 0)
    second = persons_import_batch(actor=clerk, rows=rows)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 39)
    assert Person.objects.count() == 39
