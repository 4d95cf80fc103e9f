"""Field keys can be rotated: old values stay readable, the command re-seals them."""

from __future__ import annotations

import base64
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection

from skillplan.core import crypto
from skillplan.core.disability import make_certificate_number
from skillplan.core.idnumber import make_id_number
from skillplan.people.models import Person
from skillplan.people.rules import check_person
from skillplan.people.services import person_create
from skillplan.regions.selectors import region_index

pytestmark = pytest.mark.django_db
OLD = "old:" + base64.b64encode(b"o" * 32).decode()
NEW = "new:" + base64.b64encode(b"n" * 32).decode()


@pytest.fixture
def keys(settings):
    def use(value: str) -> None:
        settings.SKILLPLAN_FIELD_KEYS = value
        crypto.reset_key_cache()

    yield use
    crypto.reset_key_cache()


def raw_id_token(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM people_person WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_rotation_reseals_every_value_with_the_new_key(keys, persona):
    keys(OLD)
    number = make_id_number("430102", date(1970, 7, 7), 21)
    values = check_person(
        {"name": "王五", "id_number": number, "region": "430102", "phone": "13812345678",
         "certificate_number": make_certificate_number(number, 4, 4)},
        regions=region_index(), today=date(2026, 11, 29)).values
    person = person_create(actor=persona("demo_county_furong"), values=values)
    assert raw_id_token(person.pk).startswith("old$")
    keys(f"{NEW},{OLD}")
    assert Person.objects.get(pk=person.pk).id_number == number  # old values still readable
    call_command("rotate_field_keys")
    assert raw_id_token(person.pk).startswith("new$")
    keys(NEW)  # the old key can now be removed
    reread = Person.objects.get(pk=person.pk)
    assert (reread.id_number, reread.phone) == (number, "13812345678")
