"""Registering and changing a person through the forms."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pytest_django.fixtures import Settings

from skillplan.audit.models import AuditEvent
from skillplan.core.disability import make_certificate_number
from skillplan.core.idnumber import make_id_number
from skillplan.people.models import Person
from skillplan.people.rules import check_person
from skillplan.people.services import person_update
from skillplan.regions.selectors import region_index

pytestmark = pytest.mark.django_db
ID = make_id_number("430102", date(1988, 8, 8), 21)  # odd: a man
CERT = make_certificate_number(ID, 4, 3)


@pytest.fixture(autouse=True)
def _english(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def form_data(**extra: Any) -> dict[str, Any]:
    data = {"name": "刘建国", "id_number": ID, "certificate_number": CERT, "region": "430102",
            "urban_rural": "rural", "phone": "13912345678", "ethnicity": "汉族",
            "employment_status": "unemployed", "special_groups": ["4"]}
    data.update(extra)
    return {key: value for key, value in data.items() if value is not None}


def test_clerk_registers_a_person_and_finds_them_by_name_and_full_id(
        client_for: Callable[[str], Client]) -> None:
    client = client_for("demo_county_furong")
    response = client.post(reverse("people:create"), form_data())
    person = Person.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("people:detail", args=[person.pk])
    assert (person.gender, person.birth_date, person.category, person.grade) == (
        "M", date(1988, 8, 8), "4", "3")
    assert person.flags == 4 and person.region_code == "430102"
    assert AuditEvent.objects.filter(event="person.created", target_id=str(person.pk)).exists()
    for query in ("刘建", ID):
        html = client.get(reverse("people:list"), {"q": query}).content.decode()
        assert f'href="/persons/{person.pk}/"' in html


def test_wrong_certificate_shows_the_error_on_its_field_and_saves_nothing(
        client_for: Callable[[str], Client]) -> None:
    other = make_certificate_number(make_id_number("430102", date(1988, 8, 9), 21), 4, 3)
    response = client_for("demo_county_furong").post(
        reverse("people:create"), form_data(certificate_number=other, category="1"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"certificate_number"}  # the mismatch is explained where it lies
    assert "ID number" in errors["certificate_number"][0]
    assert not Person.objects.exists()
    html = response.content.decode()
    assert 'href="#id_certificate_number"' in html  # the error summary links to the field
    assert 'value="刘建国"' in html  # the input is kept


@pytest.mark.parametrize(
    ("extra", "field", "code"),
    [
        ({"category": "1"}, "category", "category_mismatch"),
        ({"gender": "F"}, "gender", "gender_mismatch"),
        ({"birth_date": "1988-08-09"}, "birth_date", "birthdate_mismatch"),
        ({"phone": "12345"}, "phone", "phone_format"),
        ({"id_number": ID[:-1] + ("0" if ID[-1] != "0" else "1")}, "id_number", "id_checksum"),
        ({"name": ""}, "name", "required"),
    ],
)
def test_each_rule_lands_on_its_field(client_for: Callable[[str], Client], extra: dict[str, str],
                                      field: str, code: str) -> None:
    raw = {**form_data(**extra), "special_groups": 4}
    expected = {problem.message for problem in check_person(
        raw, regions=region_index(), today=date.today()).errors if problem.code == code}
    response = client_for("demo_county_furong").post(reverse("people:create"),
                                                     form_data(**extra))
    errors = response.context["form"].errors
    assert field in errors
    if code != "required":  # "required" is said by the form itself
        assert expected and expected <= set(errors[field])
    assert not Person.objects.exists()


def test_county_clerk_cannot_register_in_another_county(
        client_for: Callable[[str], Client]) -> None:
    number = make_id_number("433101", date(1990, 1, 1), 11)
    response = client_for("demo_county_furong").post(reverse("people:create"), form_data(
        id_number=number, certificate_number=make_certificate_number(number, 4, 3),
        region="433101"))
    assert "region" in response.context["form"].errors
    assert not Person.objects.exists()


def test_registering_an_id_twice_says_so_on_the_id_field(
        client_for: Callable[[str], Client]) -> None:
    client = client_for("demo_county_furong")
    client.post(reverse("people:create"), form_data())
    response = client.post(reverse("people:create"), form_data(name="刘建军"))
    assert "already registered" in response.context["form"].errors["id_number"][0]
    assert Person.objects.count() == 1


def test_edit_keeps_protected_numbers_out_of_the_page_and_saves_changes(
        client_for: Callable[[str], Client]) -> None:
    client = client_for("demo_county_furong")
    client.post(reverse("people:create"), form_data())
    person = Person.objects.get()
    url = reverse("people:edit", args=[person.pk])
    html = client.get(url).content.decode()
    assert ID not in html and "13912345678" not in html
    assert person.masked_id_number in html
    response = client.post(url, form_data(id_number="", certificate_number="", phone="",
                                          employment_status="employed", version=1))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.employment_status == "employed"
    assert person.id_number == ID and person.phone == "13912345678"  # empty keeps them
    assert person.version == 2
    client.post(url, form_data(id_number="", certificate_number="", phone="",
                               remove_phone="on", version=2))
    person.refresh_from_db()
    assert person.phone == ""


def test_edit_with_a_stale_version_keeps_the_input_and_explains(
        client_for: Callable[[str], Client], persona: Callable[[str], Any]) -> None:
    client = client_for("demo_county_furong")
    client.post(reverse("people:create"), form_data())
    person = Person.objects.get()
    someone = persona("demo_city_changsha")
    values = check_person({**form_data(notes="changed meanwhile"), "special_groups": 4},
                          regions=region_index(), today=date.today()).values
    person_update(actor=someone, person=person, values=values, expected_version=1)
    response = client.post(reverse("people:edit", args=[person.pk]),
                           form_data(id_number="", certificate_number="", phone="",
                                     notes="my own note", version=1))
    assert response.status_code == 200
    form = response.context["form"]
    assert "Someone else changed this record" in form.non_field_errors()[0]
    html = response.content.decode()
    assert "my own note" in html and "changed meanwhile" in html
    assert 'name="version" value="2"' in html
    person.refresh_from_db()
    assert person.notes == "changed meanwhile" and person.version == 2


def test_county_clerk_cannot_edit_another_countys_person(
        client_for: Callable[[str], Client]) -> None:
    client_for("demo_county_furong").post(reverse("people:create"), form_data())
    person = Person.objects.get()
    jishou = client_for("demo_county_jishou")
    url = reverse("people:edit", args=[person.pk])
    assert jishou.get(url).status_code == 404
    assert jishou.post(url, form_data(name="改名", version=1)).status_code == 404
    person.refresh_from_db()
    assert person.name == "刘建国" and person.version == 1


def test_trainee_and_provider_cannot_open_the_forms(client_for: Callable[[str], Client]) -> None:
    for username in ("demo_trainee", "demo_provider"):
        client = client_for(username)
        assert client.get(reverse("people:create")).status_code == 403
        assert client.post(reverse("people:create"), form_data()).status_code == 403
    assert not Person.objects.exists()
