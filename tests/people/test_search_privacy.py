"""A full ID number typed into the list's search box never lands in a URL or a log."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from skillplan.core.disability import make_certificate_number
from skillplan.core.idnumber import make_id_number
from skillplan.people.rules import check_person
from skillplan.people.services import person_create
from skillplan.regions.selectors import region_index

pytestmark = pytest.mark.django_db


def register(clerk, number: str, name: str):
    values = check_person(
        {"name": name, "id_number": number, "region": "430102",
         "certificate_number": make_certificate_number(number, 2, 4)},
        regions=region_index(), today=date(2026, 11, 29),
    ).values
    return person_create(actor=clerk, values=values)


def test_searching_by_id_redirects_to_a_url_without_the_number(client_for, persona):
    number = make_id_number("430102", date(1979, 3, 3), 88)
    wanted = register(persona("demo_county_furong"), number, "李四")
    register(persona("demo_county_furong"), make_id_number("430102", date(1979, 3, 4), 88), "李五")
    client = client_for("demo_county_furong")
    response = client.post(reverse("people:list"), {"q": number, "gender": ""})
    assert response.status_code == 302
    location = response["Location"]
    assert number not in location and number[:14] not in location
    assert "idh=" in location and "gender" not in location
    page = client.get(location)
    assert [person.pk for person, _age in page.context["rows"]] == [wanted.pk]
    assert number not in page.content.decode()


def test_searching_by_name_keeps_the_name_in_the_url(client_for):
    response = client_for("demo_county_furong").post(reverse("people:list"), {"q": "李"})
    assert response["Location"].endswith("?q=%E6%9D%8E")


def test_an_export_by_id_number_keeps_no_clear_number_in_the_job(persona):
    from skillplan.audit.models import AuditEvent
    from skillplan.people.exports import persons_export_start
    from skillplan.people.selectors import PersonFilters

    number = make_id_number("430102", date(1979, 3, 3), 88)
    job = persons_export_start(actor=persona("demo_county_furong"),
                               filters=PersonFilters(q=number))
    assert number not in str(job.params)
    assert job.params["filters"]["id_hash"]
    assert number not in str(AuditEvent.objects.filter(target_id=str(job.pk)).values())


def _wrong_check_digit(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def test_a_mistyped_id_number_is_explained_on_the_search_box(client_for, persona):
    from django.utils import translation

    from skillplan.core.errors import RuleError
    from skillplan.core.idnumber import parse_id_number

    number = make_id_number("430102", date(1979, 3, 3), 88)
    register(persona("demo_county_furong"), number, "李四")
    typo = _wrong_check_digit(number)
    with pytest.raises(RuleError) as rule, translation.override("zh-hans"):
        parse_id_number(typo)
    with translation.override("zh-hans"):
        expected = str(rule.value.message)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in expected)  # the Chinese message

    response = client_for("demo_county_furong").post(reverse("people:list"), {"q": typo})
    assert response.status_code == 200  # no redirect: nothing to put in a URL
    form = response.context["filter_form"]
    assert form.errors["q"] == [expected]
    html = response.content.decode()
    assert f'value="{typo}"' in html  # what was typed stays in the box
    assert "idh=" not in html


def test_a_valid_id_search_says_which_number_it_searched_for(client_for, persona):
    from skillplan.core.masking import mask_id_number

    number = make_id_number("430102", date(1979, 3, 3), 88)
    register(persona("demo_county_furong"), number, "李四")
    client = client_for("demo_county_furong")
    response = client.post(reverse("people:list"), {"q": number})
    page = client.get(response["Location"]).content.decode()
    assert f"按身份证号查找：{mask_id_number(number)}" in page
    assert number not in page
    # Another clerk opening the same address is told nothing about the number.
    other = client_for("demo_city_changsha").get(response["Location"]).content.decode()
    assert "按身份证号查找" not in other
