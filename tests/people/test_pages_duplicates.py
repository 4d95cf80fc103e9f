"""The probable-duplicates report, merging, and the demo persons that feed them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pytest_django.fixtures import Settings

from skillplan.audit.models import AuditEvent
from skillplan.core.disability import make_certificate_number, parse_certificate_number
from skillplan.core.errors import RuleError
from skillplan.core.idnumber import make_id_number, parse_id_number
from skillplan.people.demo import PLANTED_NAME_BIRTH, PLANTED_PHONE, seed_persons
from skillplan.people.models import Person
from skillplan.people.rules import check_person
from skillplan.people.services import person_create, person_merge
from skillplan.regions.selectors import region_index

pytestmark = pytest.mark.django_db
MERGE_LINK = re.compile(r'href="/persons/merge/\?keep=(\d+)&amp;duplicate=(\d+)"')


@pytest.fixture(autouse=True)
def _english(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def seeded() -> int:
    return seed_persons(count=300)


def test_demo_persons_are_valid_varied_and_seeded_once(seeded: int) -> None:
    assert seeded == 300 == Person.objects.count()
    assert seed_persons(count=300) == 0  # idempotent
    people = list(Person.objects.all())
    for person in people[:60]:
        parsed = parse_id_number(person.id_number)
        assert person.id_number.startswith(person.region_code)
        assert (parsed.gender, parsed.birth_date) == (person.gender, person.birth_date)
        certificate = parse_certificate_number(person.certificate_number,
                                               id_number=person.id_number)
        assert (certificate.category, certificate.grade) == (person.category, person.grade)
    assert Person.objects.filter(region_code="430102").count() >= 50
    assert len({person.region_code[:4] for person in people}) == 14
    categories = [person.category for person in people]
    assert categories.count("4") == max(categories.count(c) for c in set(categories))
    women = sum(person.gender == "F" for person in people) / len(people)
    rural = sum(person.urban_rural == "rural" for person in people) / len(people)
    assert 0.35 < women < 0.55 and 0.45 < rural < 0.75
    trainee = Person.objects.get(user__username="demo_trainee")
    assert trainee.region_code == "430102" and trainee.name == "周小明"


def test_duplicates_report_finds_the_planted_groups(client_for: Callable[[str], Client],
                                                    seeded: int) -> None:
    html = client_for("demo_province").get(reverse("people:duplicates")).content.decode()
    assert html.count("Same name and birth date, different ID numbers") == len(
        PLANTED_NAME_BIRTH)
    assert html.count("Same phone number") == len(PLANTED_PHONE)
    assert len(MERGE_LINK.findall(html)) == len(PLANTED_NAME_BIRTH) + len(PLANTED_PHONE)
    assert not re.search(r"\b1[3-9]\d{9}\b", html)  # phones masked


def test_county_clerk_sees_only_their_groups_and_no_merge_links(
        client_for: Callable[[str], Client], seeded: int) -> None:
    html = client_for("demo_county_furong").get(reverse("people:duplicates")).content.decode()
    # Both members in 芙蓉区: one same-name pair; the other planted pairs cross the border.
    assert html.count("Same name and birth date, different ID numbers") == 1
    assert not MERGE_LINK.findall(html)
    assert client_for("demo_county_furong").get(
        reverse("people:merge"), {"keep": 1, "duplicate": 2}).status_code == 403


def test_merge_moves_the_trainee_link_and_leaves_a_tombstone(
        client_for: Callable[[str], Client], persona: Callable[[str], Any]) -> None:
    seed_persons(count=300)
    client = client_for("demo_city_changsha")
    html = client.get(reverse("people:duplicates")).content.decode()
    keep_pk, duplicate_pk = (int(pk) for pk in MERGE_LINK.findall(html)[0])
    duplicate = Person.objects.get(pk=duplicate_pk)
    Person.objects.filter(user__isnull=False).update(user=None)
    Person.objects.filter(pk=duplicate_pk).update(user=persona("demo_trainee"))
    url = reverse("people:merge") + f"?keep={keep_pk}&duplicate={duplicate_pk}"

    page = client.get(url)
    assert page.status_code == 200 and duplicate.id_number not in page.content.decode()
    refused = client.post(url, {"reason": ""})
    assert "reason" in refused.context["form"].errors
    assert Person.objects.get(pk=duplicate_pk).merged_into_id is None

    response = client.post(url, {"reason": "同一人两次登记"})
    assert response.status_code == 302
    assert response.url == reverse("people:detail", args=[keep_pk])
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == keep_pk and duplicate.user_id is None
    assert Person.objects.get(pk=keep_pk).user.username == "demo_trainee"
    assert AuditEvent.objects.filter(event="person.merged", target_id=str(keep_pk)).exists()

    tombstone = client.get(reverse("people:detail", args=[duplicate_pk])).content.decode()
    assert f'href="{reverse("people:detail", args=[keep_pk])}"' in tombstone
    assert "merged into" in tombstone
    edit = client.get(reverse("people:edit", args=[duplicate_pk]))
    assert edit.status_code == 302 and edit.url == reverse("people:detail", args=[keep_pk])
    listed = client.get(reverse("people:list"), {"q": duplicate.name}).content.decode()
    assert f'href="/persons/{duplicate_pk}/"' not in listed
    trainee = client_for("demo_trainee").get(reverse("people:list"))
    assert trainee.url == reverse("people:detail", args=[keep_pk])


def test_merge_of_records_outside_the_area_is_a_404(client_for: Callable[[str], Client],
                                                    seeded: int) -> None:
    xiangxi = Person.objects.filter(region_code__startswith="4331").values_list("pk", flat=True)
    changsha = Person.objects.filter(region_code__startswith="4301").values_list("pk", flat=True)
    url = reverse("people:merge") + f"?keep={changsha[0]}&duplicate={xiangxi[0]}"
    client = client_for("demo_city_changsha")
    events = AuditEvent.objects.count()
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "试试"}).status_code == 404
    assert Person.objects.filter(merged_into__isnull=False).count() == 0
    assert AuditEvent.objects.count() == events


def _pair(persona: Callable[[str], Any], numbers: tuple[str, str],
          phones: tuple[str, str] = ("", "")) -> tuple[Person, Person]:
    """Two persons named 张三 in 芙蓉区 with these ID numbers and phones."""
    made = []
    for number, phone in zip(numbers, phones, strict=True):
        checked = check_person({"name": "张三", "id_number": number, "region": "430102",
                                "phone": phone,
                                "certificate_number": make_certificate_number(number, 4, 2)},
                               regions=region_index(), today=date.today())
        made.append(person_create(actor=persona("demo_province"), values=checked.values))
    return made[0], made[1]


def _same_mask_ids() -> tuple[str, str]:
    """Two ID numbers that differ only in the birth date: the same once masked."""
    first = make_id_number("430102", date(1990, 5, 17), 123)
    for day in range(1, 28):
        other = make_id_number("430102", date(1991, 6, day), 123)
        if other[-1] == first[-1]:
            return first, other
    raise AssertionError("no pair")


def test_merging_stale_records_the_other_way_round_is_refused(
        persona: Callable[[str], Any]) -> None:
    first, second = _pair(persona, (make_id_number("430102", date(1990, 5, 17), 1),
                                    make_id_number("430102", date(1990, 5, 17), 3)))
    stale_first, stale_second = Person.objects.get(pk=first.pk), Person.objects.get(pk=second.pk)
    admin = persona("demo_province")
    person_merge(actor=admin, keep=first, duplicate=second, reason="同一人")
    events = AuditEvent.objects.count()

    # A second clerk read both records before the first merge and merges them the other way.
    with pytest.raises(RuleError) as error:
        person_merge(actor=admin, keep=stale_second, duplicate=stale_first, reason="同一人")
    assert error.value.code == "merge_invalid"
    assert Person.objects.get(pk=first.pk).merged_into_id is None
    assert Person.objects.get(pk=second.pk).merged_into_id == first.pk
    assert AuditEvent.objects.count() == events


def test_merge_page_compares_the_full_numbers_not_the_masks(
        client_for: Callable[[str], Client], persona: Callable[[str], Any]) -> None:
    first, second = _pair(persona, _same_mask_ids(), phones=("13812341234", "13899991234"))
    assert first.masked_id_number == second.masked_id_number
    assert first.masked_phone == second.masked_phone
    html = client_for("demo_province").get(
        reverse("people:merge"), {"keep": first.pk, "duplicate": second.pk}).content.decode()
    same = dict(re.findall(
        r'<th scope="row">([^<]+)</th>\s*<td>[^<]*</td>\s*<td>[^<]*</td>\s*<td>(Same|<span)',
        html))
    assert same["ID number"] == same["Phone"] == "<span"  # shown as "Different"
    assert same["Disability certificate number"] == "<span"
    assert same["Name"] == "Same"
    assert first.masked_id_number in html
    assert first.id_number not in html and second.id_number not in html


def test_duplicates_page_takes_a_fixed_number_of_queries(
        client_for: Callable[[str], Client], seeded: int,
        django_assert_max_num_queries: Any) -> None:
    client = client_for("demo_province")
    # session, user and region, the two kinds of group keys, their members, session save (3)
    with django_assert_max_num_queries(9):
        html = client.get(reverse("people:duplicates")).content.decode()
    assert html.count("Same name and birth date, different ID numbers") == len(
        PLANTED_NAME_BIRTH)
    assert html.count("Same phone number") == len(PLANTED_PHONE)
