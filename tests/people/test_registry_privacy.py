"""What the registry tells a clerk about persons outside their area: nothing about where they
live (an "already registered" answer, a merged record's page), and no full numbers in flash
messages."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pytest_django.fixtures import Settings

from skillplan.accounts.models import User
from skillplan.accounts.tokens import token_create
from skillplan.audit.models import AuditEvent
from skillplan.core.disability import make_certificate_number
from skillplan.core.errors import RuleError
from skillplan.core.idnumber import convert_15_to_18, make_id_number
from skillplan.core.masking import mask_id_number
from skillplan.people.models import Person
from skillplan.people.rules import check_person
from skillplan.people.services import person_create, person_merge, person_update
from skillplan.regions.selectors import region_index

pytestmark = pytest.mark.django_db
ID = make_id_number("430102", date(1990, 5, 17), 123)
NEUTRAL = ("This ID number is already registered in another area; ask the province "
           "federation.")
JISHOU_WORDS = ("吉首", "湘西")


@pytest.fixture(autouse=True)
def _english(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def values(number: str = ID, region: str = "430102", **extra: Any) -> Any:
    raw = {"name": "张三", "id_number": number, "region": region,
           "certificate_number": make_certificate_number(number, 4, 2), **extra}
    checked = check_person(raw, regions=region_index(), today=date.today())
    assert checked.values is not None, checked.errors
    return checked.values


@pytest.fixture
def in_jishou(persona: Callable[[str], User]) -> Person:
    """A person whose household is in 吉首 (outside 芙蓉区 and 长沙)."""
    return person_create(actor=persona("demo_province"), values=values(region="433101"))


def test_registering_an_id_known_outside_the_area_does_not_say_where(
        persona: Callable[[str], User], in_jishou: Person) -> None:
    with pytest.raises(RuleError) as error:
        person_create(actor=persona("demo_county_furong"), values=values())
    assert error.value.code == "person_exists"
    assert str(error.value.message) == NEUTRAL
    assert Person.objects.count() == 1
    assert Person.objects.get().region_code == "433101"


def test_registering_an_id_known_inside_the_area_names_the_county(
        persona: Callable[[str], User], in_jishou: Person) -> None:
    for username in ("demo_province", "demo_city_xiangxi"):
        with pytest.raises(RuleError) as error:
            person_create(actor=persona(username), values=values(region="433101"))
        assert "湘西土家族苗族自治州吉首市" in str(error.value.message)
    assert Person.objects.count() == 1


def test_changing_an_id_to_one_known_outside_the_area_does_not_say_where(
        persona: Callable[[str], User], in_jishou: Person) -> None:
    clerk = persona("demo_county_furong")
    other = make_id_number("430102", date(1991, 1, 1), 11)
    mine = person_create(actor=clerk, values=values(other))
    with pytest.raises(RuleError) as error:
        person_update(actor=clerk, person=mine, values=values(), expected_version=1)
    assert error.value.code == "person_exists"
    assert str(error.value.message) == NEUTRAL
    mine.refresh_from_db()
    assert mine.id_number == other and mine.version == 1


def test_the_edit_page_gives_the_neutral_answer_on_the_id_field(
        client_for: Callable[[str], Client], persona: Callable[[str], User],
        in_jishou: Person) -> None:
    response = client_for("demo_county_furong").post(reverse("people:create"), {
        "name": "张三", "id_number": ID, "certificate_number": make_certificate_number(ID, 4, 2),
        "region": "430102"})
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"] == [NEUTRAL]
    assert not any(word in response.content.decode() for word in JISHOU_WORDS)
    assert Person.objects.count() == 1


def test_the_api_conflict_does_not_say_where(in_jishou: Person) -> None:
    client = Client()
    token = token_create(user=User.objects.get(username="demo_county_furong"), name="tests")
    body = {"name": "张三", "id_number": ID, "region": "430102",
            "certificate_number": make_certificate_number(ID, 4, 2)}
    response = client.post("/api/v1/persons", json.dumps(body), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 409
    answer = response.json()
    assert answer["code"] == "person_exists" and answer["message"] == NEUTRAL
    assert not any(word in response.content.decode() for word in JISHOU_WORDS)
    assert Person.objects.count() == 1


def test_a_merged_record_does_not_name_a_kept_record_outside_the_area(
        client_for: Callable[[str], Client], persona: Callable[[str], User]) -> None:
    province = persona("demo_province")
    kept = person_create(actor=province, values=values(region="433101"))
    duplicate = person_create(actor=province, values=values(
        make_id_number("430102", date(1990, 5, 17), 125), name="张三"))
    person_merge(actor=province, keep=kept, duplicate=duplicate, reason="同一人")
    kept_link = f'href="{reverse("people:detail", args=[kept.pk])}"'

    html = client_for("demo_county_furong").get(
        reverse("people:detail", args=[duplicate.pk])).content.decode()
    assert "merged into a record in another area" in html
    assert kept_link not in html and "the record of 张三" not in html

    html = client_for("demo_province").get(
        reverse("people:detail", args=[duplicate.pk])).content.decode()
    assert kept_link in html and "the record of 张三" in html


def test_the_15_digit_conversion_warning_masks_the_number(
        client_for: Callable[[str], Client]) -> None:
    old = "430102900517123"
    full = convert_15_to_18(old)
    response = client_for("demo_county_furong").post(reverse("people:create"), {
        "name": "王五", "id_number": old, "region": "430102",
        "certificate_number": make_certificate_number(full, 4, 2)}, follow=True)
    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    assert any(mask_id_number(full) in message for message in shown), shown
    assert not any(full in message for message in shown)
    assert full not in response.content.decode()
    assert not AuditEvent.objects.filter(after__icontains=full).exists()
